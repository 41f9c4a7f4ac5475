// `npm run openapi:export`: writes openapi/openapi.json from the routes, and the typed client's
// types generated from it (client/chainproof.ts, the same as `npm run client:generate`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { generateOpenApiDocument, serializeOpenApiDocument } from '../src/openapi-document';
import { CLIENT_TYPES_PATH, writeClientTypes } from './client-types';

mkdirSync('openapi', { recursive: true });
const document = generateOpenApiDocument();
const serialized = serializeOpenApiDocument(document);
writeFileSync('openapi/openapi.json', serialized);
console.log(`openapi/openapi.json written: ${Object.keys(document.paths ?? {}).length} paths`);

await writeClientTypes(serialized);
console.log(`${CLIENT_TYPES_PATH} written from it (typed client)`);
