/**
 * Where MediaPipe sends usage data or loads files from when left to its defaults: the hosts no test may see
 * the app contact (e2e/no-telemetry.spec.ts) and no shipped MediaPipe file may name
 * (src/features/data/worker/face/mediapipeEndpoints.test.ts).
 * - play.googleapis.com (Clearcut, `…/log`): MediaPipe 0.10.35's native builds upload usage metrics there
 *   (portable_clearcut_uploader.cc; google-ai-edge/mediapipe#6291). The web package holds no uploader.
 * - firebaselogging(-pa).googleapis.com: Firelog, the transport of the Android solutions' analytics.
 * - storage.googleapis.com/mediapipe-models and cdn.jsdelivr.net/npm/@mediapipe/…: the model and wasm URLs of
 *   MediaPipe's documentation (this app self-hosts both under vendor/mediapipe/).
 */
export const MEDIAPIPE_ENDPOINTS: RegExp[] = [
  /play\.googleapis\.com/i,
  /clearcut/i,
  /firebaselogging(-pa)?\.googleapis\.com/i,
  /storage\.googleapis\.com/i,
  /cdn\.jsdelivr\.net/i,
  /unpkg\.com/i,
  /gstatic\.com/i,
  /google-analytics\.com|googletagmanager\.com/i,
];
