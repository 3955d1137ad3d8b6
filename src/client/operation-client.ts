// updateConnector's own openapi-fetch client. It sends one operation whose request is known in
// advance: integer path parameters (validated before sending), no query, a JSON body. openapi-fetch's
// general serializers look these up on every call (parsing the path template for its styles,
// building a query serializer, checking the Content-Type for forms); these do the known job directly.
// Its requests are PreparedRequests (see prepared-request.ts), and it has no middleware of the
// caller's: what it sends is exactly what updateConnector validated.
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../generated/types.js";
import { compilePath } from "../path-template.js";
import { PreparedRequestConstructor, type PreparedRequest } from "./prepared-request.js";

export function createOperationClient(baseUrl: string, fetch: (request: PreparedRequest) => Promise<Response>): Client<paths> {
  const fills = new Map<string, ReturnType<typeof compilePath>>();
  return createClient<paths>({
    baseUrl,
    fetch: fetch as unknown as (request: Request) => Promise<Response>,
    Request: PreparedRequestConstructor,
    // Given the base URL and the template; one operation, so a handful of entries at most.
    pathSerializer: (url, params) => {
      let fill = fills.get(url);
      if (fill === undefined) fills.set(url, (fill = compilePath(url)));
      return fill(params);
    },
    querySerializer: () => "",
    bodySerializer: (body) => JSON.stringify(body),
  });
}
