// Regenerates results.schema.json from the zod schema: npx tsx harness/results/write-json-schema.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resultsJsonSchemaText } from './schema.ts';

const target = fileURLToPath(new URL('./results.schema.json', import.meta.url));
writeFileSync(target, resultsJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
