// Compiled by overrides.test.ts (and by the repo's typecheck): what `override(...)` lets through and
// what it refuses at compile time. Each @ts-expect-error must be a real error.
import { createFake, override } from "../../../src/testing/index.js";

const fake = createFake();
const PATH = "/v2/evses/{uid}/connectors/{connectorId}";
const conflict = { error: { type: "invalid_request_error", code: "conflict", message: "busy", param: null, request_id: "req_1" } } as const;

fake.use(override("PATCH", PATH, { status: 409, body: conflict }));
fake.use(override("PATCH", PATH, { status: 503, body: conflict, headers: { "Retry-After": "1" } }, { once: true }));
fake.use(
  override("PATCH", PATH, ({ params, body }) => {
    const uid: number = params.uid;
    const amps: number | undefined = body.maxAmperage;
    return { status: 429, body: { error: { ...conflict.error, message: `${uid} ${amps}` } } };
  }),
);

// @ts-expect-error a path that is not in the contract
override("PATCH", "/v2/evses/{uid}/connector/{connectorId}", { status: 409, body: conflict });
// @ts-expect-error a method the contract does not document on this path
override("PUT", PATH, { status: 409, body: conflict });
// @ts-expect-error a status the contract does not document (418)
override("PATCH", PATH, { status: 418, body: conflict });
// @ts-expect-error a 200 must carry an Evse, not the error envelope
override("PATCH", PATH, { status: 200, body: conflict });
// @ts-expect-error lower-case methods are not the contract's spelling here
override("patch", PATH, { status: 409, body: conflict });
override("PATCH", PATH, ({ params }) => {
  // @ts-expect-error the path parameters are the contract's, typed: no `id`
  void params.id;
  return { status: 409, body: conflict };
});

// getEvse, from the operations registry, is typed the same way: no body, its own statuses.
fake.use(override("GET", "/v2/evses/{uid}", ({ params }) => ({ status: 404, body: { error: { message: `no ${params.uid}` } } })));
// @ts-expect-error getEvse does not document 409
override("GET", "/v2/evses/{uid}", { status: 409, body: conflict });
