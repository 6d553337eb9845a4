export {
  FINGERPRINT_LENGTH,
  fingerprintError,
  firstMeaningfulFrame,
  normaliseErrorMessage,
} from './fingerprint.ts';
