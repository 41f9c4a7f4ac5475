import { mkdirSync, writeFileSync } from 'node:fs';
import { generateOpenApiDocument, serializeOpenApiDocument } from '../src/openapi-document';

mkdirSync('openapi', { recursive: true });
const document = generateOpenApiDocument();
writeFileSync('openapi/openapi.json', serializeOpenApiDocument(document));
console.log(`openapi/openapi.json written: ${Object.keys(document.paths ?? {}).length} paths`);
