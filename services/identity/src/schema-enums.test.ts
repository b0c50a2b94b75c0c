import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type EnumTypeDefinitionNode } from 'graphql';
import { ACCOUNT_ROLES, SESSION_END_REASONS } from '@messngr/contracts';

const schema = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));

function enumValues(name: string): string[] {
  const definition = schema.definitions.find(
    (node): node is EnumTypeDefinitionNode => node.kind === Kind.ENUM_TYPE_DEFINITION && node.name.value === name,
  );
  if (!definition) throw new Error(`schema.graphql has no enum ${name}`);
  return (definition.values ?? []).map((value) => value.name.value);
}

/** A value the contracts allow but the schema lacks would answer INTERNAL_SERVER_ERROR where it shows. */
describe('the GraphQL enums hold every value of their contract', () => {
  it('SessionEndReason', () => {
    expect(enumValues('SessionEndReason').sort()).toEqual([...SESSION_END_REASONS].sort());
  });

  it('AccountRole', () => {
    expect(enumValues('AccountRole').sort()).toEqual(ACCOUNT_ROLES.map((role) => role.toUpperCase()).sort());
  });
});
