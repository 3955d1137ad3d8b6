// The checks of one answer that the schema cannot express, each a small named function over the
// exchange and its case (schemathesis's shape): it returns what it found, or nothing. Their ids,
// default severities and descriptions are the registry's (checks.ts); judge.ts runs them in order.
import type { Finding, VerifyCase } from "./types.js";

/** One answered exchange, as the checks see it. */
export interface AnsweredExchange {
  kase: VerifyCase;
  status: number;
  /** The connector under test. */
  path: { uid: number; connectorId: number };
  /** Whether the answer carries the key it was sent, anywhere. */
  echoesKey: boolean;
}

type Found = Omit<Finding, "check" | "severity" | "source"> & { source?: Finding["source"] };
type ExchangeCheck = (exchange: AnsweredExchange) => Found | undefined;

const is2xx = (status: number) => status >= 200 && status < 300;

/** The auth probe must be refused: 401 or 403. */
const authNotIgnored: ExchangeCheck = ({ kase, status }) => {
  if (kase.kind !== "auth" || status === 401 || status === 403) return undefined;
  const sent = kase.credentials === "none" ? "without Authorization" : "with a wrong API key";
  return {
    rule: "auth",
    pointer: "",
    message: is2xx(status)
      ? `answered ${status} to a patch sent ${sent}: the provider ignores authentication, and applied (or may have applied) a patch nobody was allowed to send; 401 or 403 was expected`
      : `answered ${status} to a patch sent ${sent}; 401 or 403 was expected, so it is unclear whether the provider checks the key at all`,
  };
};

/** A patch of something verify read as absent must be 404, and create nothing. */
const unknownResource404: ExchangeCheck = ({ kase, status, path }) => {
  if (kase.kind !== "unknown" || status === 404) return undefined;
  const what = kase.address && kase.address.uid !== path.uid ? `unknown EVSE ${kase.address.uid}` : `unknown connector ${kase.address?.connectorId ?? "?"} of EVSE ${path.uid}`;
  return {
    rule: "unknown-resource",
    pointer: "",
    message: is2xx(status)
      ? `${what} answered ${status}: a patch of something that does not exist must be 404, not create it (verify read it as absent just before)`
      : `${what} answered ${status}; 404 was expected for something that does not exist`,
  };
};

/** A patch that breaks the request schema must not be accepted. */
const negativeDataRejected: ExchangeCheck = ({ kase, status }) =>
  kase.kind === "invalid" && is2xx(status)
    ? { rule: "accepts-invalid", pointer: kase.breaks?.pointer ?? "", message: `answered ${status} to a patch the contract rejects (${kase.title}); a documented 4xx was expected`, source: "contract" }
    : undefined;

/** No case is built to provoke a server error: each is a patch the provider must accept or refuse. */
const notAServerError: ExchangeCheck = ({ kase, status }) =>
  status >= 500
    ? {
        rule: "server-error",
        pointer: "",
        message:
          kase.kind === "invalid"
            ? `answered ${status} to an invalid patch: the provider failed instead of rejecting it with a documented 4xx`
            : `answered ${status}: the provider failed on a request it must accept or refuse`,
      }
    : undefined;

/** A credential echoed in an answer ends up in logs. */
const keyNotEchoed: ExchangeCheck = ({ echoesKey }) =>
  echoesKey
    ? { rule: "key-echoed", pointer: "", message: "the answer contains the API key it was sent (shown here as [redacted]): a provider must never echo a credential, it ends up in logs" }
    : undefined;

/** The exchange checks, by registry id, in the order their findings are listed. */
export const EXCHANGE_CHECKS = {
  "auth-not-ignored": authNotIgnored,
  "unknown-resource-404": unknownResource404,
  "negative-data-rejected": negativeDataRejected,
  "not-a-server-error": notAServerError,
  "key-not-echoed": keyNotEchoed,
} as const satisfies Record<string, ExchangeCheck>;

/** Runs every exchange check; each finding at its check's default severity (checks.ts), named by it. */
export function runExchangeChecks(exchange: AnsweredExchange, severityOf: (id: string) => Finding["severity"]): Finding[] {
  return Object.entries(EXCHANGE_CHECKS).flatMap(([check, run]) => {
    const found = run(exchange);
    return found ? [{ check, severity: severityOf(check), source: "verify" as const, ...found }] : [];
  });
}
