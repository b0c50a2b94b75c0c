import { codegen } from '@graphql-codegen/core';
import * as typescriptPlugin from '@graphql-codegen/typescript';
import * as resolversPlugin from '@graphql-codegen/typescript-resolvers';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildASTSchema, Kind, parse, printSchema, type DocumentNode } from 'graphql';

/**
 * Generates `src/generated/resolvers-types.ts` for a subgraph from its schema.graphql:
 * resolvers are typed from the SDL, so a resolver that drifts from it fails typecheck.
 * Optional `codegen.json` beside the schema maps GraphQL types to persistence types.
 */
export async function generateResolverTypes(serviceDir: string): Promise<string> {
  const sdl = readFileSync(join(serviceDir, 'schema.graphql'), 'utf8');
  const schemaAst = buildASTSchema(withoutSchemaExtensions(parse(sdl)), { assumeValidSDL: true });
  const settings = readSettings(serviceDir);
  const output = await codegen({
    filename: 'resolvers-types.ts',
    schema: parse(printSchema(schemaAst)),
    schemaAst,
    documents: [],
    plugins: [{ typescript: {} }, { 'typescript-resolvers': {} }],
    pluginMap: { typescript: typescriptPlugin, 'typescript-resolvers': resolversPlugin },
    config: {
      federation: true,
      useIndexSignature: true,
      contextType: '@messngr/kit/subgraph#SubgraphContext',
      mappers: settings.mappers ?? {},
      enumsAsTypes: true,
      scalars: { DateTime: 'Date | string', JSONObject: 'Record<string, unknown>' },
      avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      maybeValue: 'T | null',
    },
  });
  const target = join(serviceDir, 'src', 'generated');
  mkdirSync(target, { recursive: true });
  const file = join(target, 'resolvers-types.ts');
  writeFileSync(file, `/* eslint-disable */\n// Generated from schema.graphql by schema/src/codegen.ts: do not edit.\n${output}`);
  return file;
}

/** `extend schema @link(...)` is for composition; the resolver types need only the types and their `@key`s. */
function withoutSchemaExtensions(document: DocumentNode): DocumentNode {
  return { ...document, definitions: document.definitions.filter((definition) => definition.kind !== Kind.SCHEMA_EXTENSION) };
}

function readSettings(serviceDir: string): { mappers?: Record<string, string> } {
  try {
    return JSON.parse(readFileSync(join(serviceDir, 'codegen.json'), 'utf8')) as { mappers?: Record<string, string> };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

if (require.main === module) {
  const serviceDir = process.argv[2] ?? process.cwd();
  generateResolverTypes(serviceDir).then(
    (file) => process.stdout.write(`generated ${file}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
