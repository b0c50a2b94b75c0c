import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  type ASTNode,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { DomainError } from '../errors/errors';

export interface RequestLimits {
  /** Field nesting; fragments and inline fragments add no level of their own. */
  maxDepth: number;
  maxAliases: number;
  /** Lexical tokens of the whole document, counted before anything parses it. */
  maxTokens: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = { maxDepth: 12, maxAliases: 30, maxTokens: 5_000 };

/**
 * Refusals keep their own code: Apollo wraps every validation error as
 * GRAPHQL_VALIDATION_FAILED, and the error formatter finds this original beneath it.
 */
export class RequestLimitError extends DomainError {
  constructor(code: 'QUERY_TOO_DEEP' | 'TOO_MANY_ALIASES' | 'TOO_MANY_TOKENS', message: string) {
    super(code, message, 400);
  }
}

/** Validation rules for depth and aliases; each costs one pass over the document. */
export function requestLimitRules(limits: RequestLimits = DEFAULT_REQUEST_LIMITS): ValidationRule[] {
  return [depthLimit(limits.maxDepth), aliasLimit(limits.maxAliases)];
}

/**
 * Counts the document's tokens with graphql's own lexer and stops at the first one over the
 * limit, so a huge document costs no more than the limit. Undefined when within it.
 */
export function tokenLimitProblem(query: string, maxTokens: number): RequestLimitError | undefined {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      count += 1;
      if (count > maxTokens) {
        return new RequestLimitError('TOO_MANY_TOKENS', `The document has more than ${maxTokens} tokens.`);
      }
    }
  } catch {
    // A lexing error is the parser's to report, with its own code.
  }
  return undefined;
}

function depthLimit(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    // Depth of each fragment, computed once per document: the walk stays linear however
    // often a fragment is spread (without it, nested spreads double the work at each level).
    const fragmentDepths = new Map<string, number>();
    const inProgress = new Set<string>();

    const fragmentDepth = (fragment: FragmentDefinitionNode): number => {
      const name = fragment.name.value;
      const known = fragmentDepths.get(name);
      if (known !== undefined) return known;
      // A cycle is refused by NoFragmentCyclesRule; here it only must not recurse forever.
      if (inProgress.has(name)) return 0;
      inProgress.add(name);
      const depth = selectionDepth(fragment.selectionSet);
      inProgress.delete(name);
      fragmentDepths.set(name, depth);
      return depth;
    };

    const selectionDepth = (selectionSet: SelectionSetNode): number => {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          deepest = Math.max(deepest, selection.selectionSet ? 1 + selectionDepth(selection.selectionSet) : 1);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, selectionDepth(selection.selectionSet));
        } else {
          const fragment = context.getFragment(selection.name.value);
          if (fragment) deepest = Math.max(deepest, fragmentDepth(fragment));
        }
      }
      return deepest;
    };

    return {
      OperationDefinition(operation) {
        const depth = selectionDepth(operation.selectionSet);
        if (depth > maxDepth) {
          context.reportError(
            limitError(operation, new RequestLimitError('QUERY_TOO_DEEP', `Operation is nested ${depth} levels deep; the limit is ${maxDepth}.`)),
          );
        }
      },
    };
  };
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
              limitError(document, new RequestLimitError('TOO_MANY_ALIASES', `Operation uses ${aliases} aliases; the limit is ${maxAliases}.`)),
            );
          }
        },
      },
    };
  };
}

function limitError(node: ASTNode, error: RequestLimitError): GraphQLError {
  return new GraphQLError(error.message, { nodes: node, originalError: error, extensions: { code: error.code } });
}
