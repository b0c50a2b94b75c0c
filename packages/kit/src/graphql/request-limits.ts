import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

export interface RequestLimits {
  maxDepth: number;
  maxAliases: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = { maxDepth: 12, maxAliases: 30 };

/** Refuses operations nested deeper than `maxDepth` or with more than `maxAliases` aliases. */
export function requestLimitRules(limits: RequestLimits = DEFAULT_REQUEST_LIMITS): ValidationRule[] {
  return [depthLimit(limits.maxDepth), aliasLimit(limits.maxAliases)];
}

function depthLimit(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const depth = selectionDepth(operation.selectionSet, context, new Set());
      if (depth > maxDepth) {
        context.reportError(
          new GraphQLError(`Operation is nested ${depth} levels deep; the limit is ${maxDepth}.`, {
            nodes: [operation],
            extensions: { code: 'QUERY_TOO_DEEP' },
          }),
        );
      }
    },
  });
}

function selectionDepth(selectionSet: SelectionSetNode | undefined, context: ValidationContext, visited: Set<string>): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      deepest = Math.max(deepest, selection.selectionSet ? 1 + selectionDepth(selection.selectionSet, context, visited) : 1);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, selectionDepth(selection.selectionSet, context, visited));
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      if (!fragment || visited.has(name)) continue;
      visited.add(name);
      deepest = Math.max(deepest, selectionDepth(fragment.selectionSet, context, visited));
      visited.delete(name);
    }
  }
  return deepest;
}

function aliasLimit(maxAliases: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(field) {
        if (field.alias) aliases += 1;
      },
      Document: {
        leave(document) {
          if (aliases > maxAliases) {
            context.reportError(
              new GraphQLError(`Operation uses ${aliases} aliases; the limit is ${maxAliases}.`, {
                nodes: [document],
                extensions: { code: 'TOO_MANY_ALIASES' },
              }),
            );
          }
        },
      },
    };
  };
}
