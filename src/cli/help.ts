// What `--help` prints, per command. Paths and the sandbox URL come from the contract.
import { SERVER_URLS, UPDATE_CONNECTOR } from "../../generated/values.js";
import { EVSE_PATH_TEMPLATE } from "../testing/verify/paths.js";
import { CHECKS } from "../testing/verify/checks.js";
import { documentedWritesPerMinute, VERIFY_DEFAULTS } from "../testing/verify/verify.js";
import { EXIT_MEANINGS } from "./exit-codes.js";
import { ADMIN_PREFIX, ADMIN_ROUTES } from "../testing/fake/admin.js";
import { GET_EVSE, RATE_LIMIT_BUCKETS } from "../../generated/operations.js";
import { BUCKETS, PLAIN_BUCKET } from "../testing/fake/rate-limit.js";

const operation = `${UPDATE_CONNECTOR.method} ${UPDATE_CONNECTOR.path}`;

const EXIT_CODES = `Exit codes:
${EXIT_MEANINGS.map(([code, meaning]) => `  ${code}  ${meaning}`).join("\n")}`;

export const MAIN_HELP = `spirii-contract: contract testing for ${operation}

Usage:
  spirii-contract mock [--port N] [--dynamic [--seed S]]
      Serve the contract for consumers' tests.
  spirii-contract fake [--port N] [--evses FILE] [--api-key KEY ...] [--rate-limit N/WINDOW_MS | BUCKET=N/WINDOW_MS | documented ...]
      Serve a stateful fake of the API for integration tests, controlled over HTTP.
  spirii-contract verify --base-url URL --uid N --connector-id N [options]
      Check that a provider keeps the contract.
  spirii-contract coverage FILE... [--fail-under [OPERATION=]N]... [--html FILE] [--json FILE]
      Merge contract coverage files, print what was exercised, gate on it.
  spirii-contract <command> --help
      Everything about one command.

${EXIT_CODES}
`;

export const MOCK_HELP = `spirii-contract mock: serve the contract as a mock API

Usage:
  spirii-contract mock [--port N] [--host H] [--dynamic [--seed S]] [--coverage-file FILE]

Answers ${operation} as the contract says: a valid request gets a documented
example, a request that breaks the contract gets the documented 4xx, a request without
"Authorization: Bearer <key>" gets 401. "Prefer: code=404" or "Prefer: example=NAME" picks a
documented response.

Options:
  --port N      port to listen on; 0 (the default) picks a free one and prints it
  --host H      address to bind (default 127.0.0.1)
  --dynamic     generate bodies from the schemas instead of answering with the examples
  --seed S      with --dynamic: the same seed gives the same bodies
  --coverage-file FILE
                on stop, write the contract coverage of what it answered (for
                spirii-contract coverage)
  -h, --help    this help

Prints the URL and a curl command to try; stops cleanly on Ctrl-C or SIGTERM (exit 0).
Exit code 2 when it cannot start (port taken, Prism not installed).
`;

const documentedLimits = BUCKETS.map((bucket) => `${bucket} ${RATE_LIMIT_BUCKETS[bucket].requestsPerMinute}`).join(", ");

const adminRoutes = ADMIN_ROUTES.map(([method, path, what]) => `  ${`${method} ${ADMIN_PREFIX}${path}`.padEnd(24)} ${what}`).join("\n");

export const FAKE_HELP = `spirii-contract fake: serve a stateful fake of the API

Usage:
  spirii-contract fake [--port N] [--host H] [--evses FILE] [--api-key KEY ...]
                       [--rate-limit N/WINDOW_MS | BUCKET=N/WINDOW_MS | documented ...]
                       [--coverage-file FILE] [--admin-remote]

Holds EVSEs in memory and answers ${operation} as the contract says the API
does: the patch is applied and the 200 is the whole EVSE as it now is; 401 without
"Authorization: Bearer <key>" or with a key it does not accept, 404 for an unknown EVSE or
connector, 400 for a body that is not JSON, 422 for a patch that breaks the contract; nothing is
changed on an error. GET ${GET_EVSE.path} reads an EVSE. Unlike \`mock\`, it does not load Prism,
and it remembers.

Options:
  --port N                 port to listen on; 0 (the default) picks a free one and prints it
  --host H                 address to bind (default 127.0.0.1)
  --evses FILE             a JSON array of EVSEs to start with (default: the contract's example EVSEs);
                           each is checked against the contract
  --api-key KEY            accept only this key (repeat for more). Default: the first key it is sent,
                           and then only that one until reset, so a wrong key gets 401 as from the API
                           (and \`spirii-contract verify\` against it holds). Made-up keys: never a real one
  --rate-limit N/WINDOW_MS answer 429 to requests of the ${PLAIN_BUCKET} bucket (the PATCH only) beyond N
                           per WINDOW_MS milliseconds (default: every bucket off). Changed: it used to
                           count the commands too; they are in remote-control now (BUCKET=N/WINDOW_MS)
  --rate-limit BUCKET=N/WINDOW_MS
                           the same for one of the contract's buckets: ${BUCKETS.join(", ")};
                           repeat for more (e.g. --rate-limit remote-control=2/60000)
  --rate-limit documented  every bucket at the contract's figure per 60000 ms (${documentedLimits});
                           a BUCKET=N/WINDOW_MS given with it replaces that bucket's
                           Each request counts against its operation's bucket only, and its
                           X-RateLimit-* headers are that bucket's. The windows run on the fake's
                           clock: real time, plus whatever POST ${ADMIN_PREFIX}/clock advanced it
                           (so a test can skip the wait)
  --coverage-file FILE     on stop (and on POST ${ADMIN_PREFIX}/coverage), write the contract coverage
                           of what it answered (for spirii-contract coverage)
  --admin-remote           let the admin routes answer peers that are not loopback (a fake in a
                           container, reached through a published port); off by default
  -h, --help               this help

Admin routes (the controls a JavaScript test has on the fake, for tests in any language), on the
same port; loopback peers only unless --admin-remote; they never show the keys the fake accepts.
A call with a bad body gets one 400 saying what was wrong, and changes nothing.
${adminRoutes}
  e.g. curl -sS -X POST "$URL${ADMIN_PREFIX}/faults?times=1" -d '{"status":503}'

Prints the URL and a curl command to try, then one line per request (method, path, status, time);
stops cleanly on Ctrl-C or SIGTERM (exit 0).
Exit code 2 on a bad option or file (missing, not JSON, an invalid EVSE) or when it cannot listen.
`;

export const VERIFY_HELP = `spirii-contract verify: check that a provider keeps the contract

Usage:
  SPIRII_API_KEY=... spirii-contract verify --base-url URL --uid N --connector-id N [options]

Reads the EVSE first (GET ${EVSE_PATH_TEMPLATE}) and writes nothing unless it learns every field a
patch may change. Then sends ${UPDATE_CONNECTOR.method} requests to one connector, one at a time, through Prism's
validation proxy: the contract's examples; the auth probe (a valid patch without Authorization,
one with a wrong key: 401 or 403 expected); patches of a connector and of an EVSE that do not exist
(404 expected); fixed cases sent on every run whatever the seed (every request enum value and
field, and every rule of the request schema broken at its edge, an unknown field alone and among
valid ones included); then --runs valid and --runs invalid patches generated from the seed.
Each answer is judged by the checks below, and the EVSE is read right before and right after each
write and compared, whole, with a model of it (each patch applied to the EVSE as read): a stale
answer, a change not stored or altered, the wrong connector changed, a refused patch partly
applied, the EVSE status changed by a patch are named. The EVSE status may change by another actor
(a car): it is compared only across a write; a change between writes is a notice.

Checks (tune one with --check ID=off|notice|warning|violation):
${CHECKS.map((c) => `  ${c.id.padEnd(23)} ${c.checks}`).join("\n")}

Pace: writes are spread evenly at --max-writes-per-minute (default ${documentedWritesPerMinute()}, the documented
limit; no cap for a provider on loopback) and never faster than the provider's X-RateLimit headers allow. A 429 is never a verdict:
the case waits (Retry-After) and is sent again; one still refused after ${VERIFY_DEFAULTS.rateLimitWaitMs / 1000} s is "not judged".
The run prints its write budget before the first request and its wall time at the end.

Safety:
  - It CHANGES the connector. Before the first request it says what it will change and prints the
    values it read, to set by hand if the run is killed. Whatever ends the run (its end, Ctrl-C,
    an error, a provider that stops answering) puts them back, paced, retried on 429/5xx/no answer
    for up to ${VERIFY_DEFAULTS.restoreDeadlineMs / 1000} s, and verified by reading the connector back. A restore that did not
    complete (or a second Ctrl-C) prints every field and the value to set, and exits 3.
  - It never acts on the charger beyond the patch unasked: unlockConnector (physical), remoteStopTransaction
    (destructive) and changeConnectorAvailability are sent with a valid request only with
    --allow-physical, --allow-destructive, --allow-availability; without them, only requests that
    cannot act (a malformed body, an EVSE just read as absent), and the plan says what was skipped.
    listEvses (read-only) is verified on every run.
  - It refuses the production API (${SERVER_URLS.production}) unless --allow-production is given.
    Use the sandbox (${SERVER_URLS.sandbox}) or a local provider.
  - The API key comes only from an environment variable and never appears in output or reports.

Options:
  --base-url URL        the provider, e.g. http://127.0.0.1:8080 (required)
  --uid N               the EVSE (required)
  --connector-id N      the connector on it (required)
  --runs N              valid and invalid patches to generate, each, after the fixed cases
                        (default ${VERIFY_DEFAULTS.runs}; 0 sends only the examples, the auth probe
                        and the fixed cases)
  --seed S              seed for the generated patches; the same seed sends the same patches
                        (default: random, printed so a failing run can be repeated)
  --timeout-ms N        deadline per request; a later answer is a violation (default ${VERIFY_DEFAULTS.timeoutMs})
  --report-junit FILE   write JUnit XML, one test case per exchange (a regular file, or a new one in
                        an existing directory, as for --report-json)
  --report-json FILE    write every exchange and finding, and the coverage, as JSON
  --api-key-env NAME    read the key from NAME instead of SPIRII_API_KEY
  --allow-production    allow the production API
  --allow-insecure-http allow plain http to a host that is not loopback (a CI job's private
                        service host such as http://provider:8080): the key travels in clear text
  --allow-physical      also send unlockConnector to the connector (it releases the cable)
  --allow-destructive   also send remoteStopTransaction with a valid body (it ends a session)
  --transaction-id N    the transaction that remote stop ends (required with --allow-destructive)
  --stop-settle-ms N    how long an EVSE that still shows the session is read back after the stop
                        was Accepted (default ${VERIFY_DEFAULTS.stopSettleMs}; OCPP's stop is asynchronous)
  --allow-availability  also send changeConnectorAvailability (Inoperative, Operative), then put
                        the EVSE status back as read just before
  --no-auth-probe       skip the two requests without a valid key
  --fail-under N        exit 1 when the run covered less than N percent of the contract,
                        naming what it did not cover
  --max-writes-per-minute N
                        send at most N writes a minute (default ${documentedWritesPerMinute()}, none on loopback);
                        lower it for a key other jobs share
  --check ID=SETTING    report check ID at another severity, or not at all (off); repeatable
  --restore-deadline-ms N
                        how long the restore keeps retrying 429s, 5xx and failed exchanges
                        (default ${VERIFY_DEFAULTS.restoreDeadlineMs})
  -h, --help            this help

${EXIT_CODES}
With --fail-under N, exit 1 also when coverage is under N percent; the last line says which failed.
`;

export const COVERAGE_HELP = `spirii-contract coverage: what tests exercised of the contract

Usage:
  spirii-contract coverage FILE... [--fail-under [OPERATION=]N]... [--require ITEM]... [--html FILE] [--json FILE]

Merges contract coverage files (written by the mock with startMockServer({ coverageFile }) or
mock.writeCoverage(file), the fake, or a verify --report-json report): an item is covered if covered
in any file, and counts add. Prints, per operation of the contract, its percent, then every item,
covered or not, with its count, grouped by kind (statuses, request fields and values, request rules
broken, response values and field shapes); then the requests for no operation of the contract, and
the percent covered. Item ids name their operation: "updateConnector status:429". A file of the
older format (ids without an operation) is read as updateConnector's, with a note.

Options:
  --fail-under N     exit 1 when under N percent of all operations' items covered, naming what was
                     not covered
  --fail-under OPERATION=N
                     exit 1 when that operation is under N percent covered, naming what of it was
                     not covered (repeatable, one per operation; combines with --fail-under N), e.g.
                     --fail-under updateConnector=90 for a team that sends only the PATCH
                     (OPERATION is an operationId, as each operation's line of the report names it)
  --require ITEM     exit 1 when ITEM was not covered (repeatable), e.g.
                     --require "updateConnector status:429" (quoted: ids hold a space)
  --html FILE        write one self-contained HTML page of the coverage
  --json FILE        write the merged coverage as JSON (itself a coverage file)
  -h, --help         this help

Exit codes:
  0  coverage is enough (or no gate was given)
  1  under a --fail-under (of all operations or of one), or a --require item not covered
  2  usage error, or a file missing or not a coverage file (the message names it)
`;
