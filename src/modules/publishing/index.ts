// The publishing module's public surface: other modules import from here, never from its files.
export { PublishingModule } from './publishing.module';
export { PublishingService } from './publishing.service';
export { PublishingErrorCode, PublishingException, PUBLISHING_ERROR_STATUS } from './publishing.exceptions';
export { type ThreeSixtyGivingGrant, type PccDecisionExtension, CSV_EXTENSION_TITLES } from './three-sixty-giving';
