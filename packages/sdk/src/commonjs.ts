// The CommonJS entry: a lone default export becomes `module.exports = SkoposSDK` (and `export =` in
// index.d.cts), so the original SDK's `const SkoposSDK = require('@skopos/sdk')` gets the class itself.
export { SkoposSDK as default } from './skopos-sdk.ts';
