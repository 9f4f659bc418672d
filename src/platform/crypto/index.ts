export { DATA_CIPHER } from './data-cipher.token';
export { DATA_KEY_FILE, loadDataEncryptionKey } from './data-key';
export { migrationCipher, provideCipherToMigrations } from './migration-cipher';
