/**
 * One visit as the original Skopos SDK's browser payloads, in the order a visit produces them: two
 * page views, a custom event and the same JS error twice. Shared by the SDK's and the server's tests.
 */
export const SKOPOS_VISIT = [
  {
    type: 'pageView',
    url: 'https://www.example.com/pricing?utm_source=newsletter',
    referrer: 'https://www.google.com/',
    screenWidth: 1920,
    screenHeight: 1080,
    language: 'en-US',
  },
  {
    type: 'custom',
    name: 'checkout',
    url: 'https://example.com/pricing',
    customData: { plan: 'pro' },
  },
  { type: 'pageView', url: 'https://app.example.com/checkout' },
  {
    type: 'jsError',
    url: 'https://app.example.com/checkout',
    errorMessage: "TypeError: Cannot read properties of undefined (reading 'total')",
    stackTrace: 'TypeError: x\n    at computeTotal (https://app.example.com/assets/app.js:10:5)',
  },
  {
    type: 'jsError',
    url: 'https://app.example.com/checkout',
    errorMessage: "TypeError: Cannot read properties of undefined (reading 'total')",
    stackTrace: 'TypeError: x\n    at computeTotal (https://app.example.com/assets/app.js:10:5)',
  },
] as const;
