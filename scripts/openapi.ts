/** `npm run openapi`: prints the API's OpenAPI 3.1 document (generated from contracts/). */
import { openApiDocument } from '../contracts/openapi';

process.stdout.write(`${JSON.stringify(openApiDocument(), null, 2)}\n`);
