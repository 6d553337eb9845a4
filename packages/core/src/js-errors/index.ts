export { mergeErrorPages } from './error-pages.ts';
export {
  FINGERPRINT_LENGTH,
  fingerprintError,
  firstMeaningfulFrame,
  normaliseErrorMessage,
} from './fingerprint.ts';
