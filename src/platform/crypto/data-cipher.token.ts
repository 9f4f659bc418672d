/**
 * The application's `DataCipher` (from `@pcc/crypto`), keyed with DATA_ENCRYPTION_KEY or the key
 * kept in DATA_DIR. Provided by the global PlatformModule, so any module can inject it:
 *
 *     constructor(@Inject(DATA_CIPHER) private readonly cipher: DataCipher) {}
 */
export const DATA_CIPHER = Symbol('DATA_CIPHER');
