/**
 * The real-KVM endpoint's token for the journeys: playwright.config.ts starts the preview server with it
 * (MSRFILTER_TOKEN), and the journeys that run on the kernel open the page with `?token=` as a user would.
 */
export const E2E_KVM_TOKEN = process.env.MSRFILTER_TOKEN ?? 'e2e-token-not-a-secret-000000000';
