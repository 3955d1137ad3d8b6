// Prism's validation proxy in front of a provider, with the recording relay between them:
// client -> Prism (validates request and response against the contract) -> relay -> provider.
import { startPrismServer } from "./prism-server.js";
import { startUpstreamRecorder, type RecordedExchange } from "./upstream-recorder.js";

export interface ValidationProxy {
  /** Base URL to send requests to (Prism). */
  url: string;
  /** Base URL of the relay alone, for requests Prism cannot forward (it records them the same way). */
  relayUrl: string;
  /** What the provider really answered to the request of `caseId`. */
  take(caseId: string): RecordedExchange | undefined;
  close(): Promise<void>;
}

export async function startValidationProxy(options: { target: URL; timeoutMs: number }): Promise<ValidationProxy> {
  const recorder = await startUpstreamRecorder(options);
  try {
    const prism = await startPrismServer(
      {
        isProxy: true,
        upstream: new URL(recorder.url),
        // Invalid requests are forwarded on purpose (verify sends them); `errors: false` makes Prism
        // pass every answer through and report what it found in the `sl-violations` header.
        validateRequest: true,
        validateResponse: true,
        checkSecurity: true,
        errors: false,
        upstreamProxy: undefined,
        mock: { dynamic: false },
      },
      { port: 0, host: "127.0.0.1" },
    );
    return {
      url: prism.url,
      relayUrl: recorder.url,
      take: (caseId) => recorder.take(caseId),
      close: async () => {
        await prism.close();
        await recorder.close();
      },
    };
  } catch (error) {
    await recorder.close();
    throw error;
  }
}
