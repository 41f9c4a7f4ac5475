// `npm run client:generate`: writes client/chainproof.ts from the committed openapi/openapi.json.
import { readFileSync } from 'node:fs';
import { CLIENT_TYPES_PATH, writeClientTypes } from './client-types';

await writeClientTypes(readFileSync('openapi/openapi.json', 'utf8'));
console.log(`${CLIENT_TYPES_PATH} written from openapi/openapi.json`);
