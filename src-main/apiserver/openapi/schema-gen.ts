/**
 * Builds OpenAPI v3 component schemas for our kinds from kubernetes-types' .d.ts files with the TypeScript compiler
 * API: property names, types, `required` (non-optional properties) and doc comments as descriptions. Patch strategies
 * and list-map keys are not in the .d.ts, so they come from patch-meta.ts (the upstream struct tags).
 *
 * Build time only (typescript is a devDependency): scripts/build.mjs runs write-schemas.ts, which stores the result
 * in schemas.generated.json; the running server loads that file (openapi.ts).
 */
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { PATCH_META } from './patch-meta.ts';
import { packageOf, type Schema } from './schema-types.ts';

export { packageOf, type Schema };

/** The .d.ts modules holding the kinds we serve plus what their subresources and options use. */
const MODULES = ['core/v1', 'apps/v1', 'meta/v1', 'discovery/v1', 'coordination/v1', 'autoscaling/v1', 'policy/v1'];

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

function typesRoot(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('kubernetes-types/package.json'));
}

function docOf(node: ts.Node, sf: ts.SourceFile): string | undefined {
  const ranges = ts.getLeadingCommentRanges(sf.text, node.pos) ?? [];
  const block = ranges.filter((r) => r.kind === ts.SyntaxKind.MultiLineCommentTrivia).pop();
  if (!block) return undefined;
  const raw = sf.text.slice(block.pos, block.end);
  const lines = raw
    .replace(/^\/\*\*?/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, '').replace(/\s+$/, ''));
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const text = lines.join('\n').trim();
  return text || undefined;
}

/** Generates every interface and type alias of the modules, keyed by upstream definition name. */
export function generateSchemas(): Record<string, Schema> {
  const root = typesRoot();
  const files = MODULES.map((m) => join(root, `${m}.d.ts`));
  const program = ts.createProgram(files, { noLib: true, types: [], noResolve: false, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const out: Record<string, Schema> = {};

  const nameOfDecl = (decl: ts.Declaration): string => {
    const sf = decl.getSourceFile();
    const module = relative(root, sf.fileName).replace(/\.d\.ts$/, '').split('\\').join('/');
    const id = (decl as ts.InterfaceDeclaration).name?.getText(sf) ?? '';
    return `${packageOf(module)}.${id}`;
  };

  const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

  const typeOf = (node: ts.TypeNode, sf: ts.SourceFile): Schema => {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string' };
      case ts.SyntaxKind.NumberKeyword:
        return { type: 'integer', format: 'int32' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.LiteralType: {
        const lit = (node as ts.LiteralTypeNode).literal;
        if (lit.kind === ts.SyntaxKind.NumericLiteral) return { type: 'integer', format: 'int32' };
        if (lit.kind === ts.SyntaxKind.TrueKeyword || lit.kind === ts.SyntaxKind.FalseKeyword) return { type: 'boolean' };
        return { type: 'string' };
      }
      case ts.SyntaxKind.ArrayType:
        return { type: 'array', items: typeOf((node as ts.ArrayTypeNode).elementType, sf) };
      case ts.SyntaxKind.UnionType: {
        const kinds = (node as ts.UnionTypeNode).types.map((t) => t.kind).sort();
        if (kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) return ref(INT_OR_STRING);
        return typeOf((node as ts.UnionTypeNode).types[0], sf);
      }
      case ts.SyntaxKind.TypeLiteral: {
        const lit = node as ts.TypeLiteralNode;
        const index = lit.members.find(ts.isIndexSignatureDeclaration);
        if (index) return { type: 'object', additionalProperties: typeOf(index.type, sf) };
        return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      }
      case ts.SyntaxKind.TypeReference: {
        const tr = node as ts.TypeReferenceNode;
        if (tr.typeName.getText(sf) === 'Array' && tr.typeArguments?.length === 1) return { type: 'array', items: typeOf(tr.typeArguments[0], sf) };
        let sym = checker.getSymbolAtLocation(tr.typeName);
        if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
        const decl = sym?.declarations?.[0];
        if (!decl) return { type: 'object' };
        return ref(nameOfDecl(decl));
      }
      default:
        return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
  };

  const visit = (sf: ts.SourceFile) => {
    for (const st of sf.statements) {
      if (ts.isInterfaceDeclaration(st)) {
        const name = nameOfDecl(st);
        const schema: Schema = { type: 'object' };
        const d = docOf(st, sf);
        if (d) schema.description = d;
        const props: Record<string, Schema> = {};
        const required: string[] = [];
        for (const m of st.members) {
          if (!ts.isPropertySignature(m) || !m.type) continue;
          const prop = m.name.getText(sf).replace(/^"|"$/g, '');
          let p = typeOf(m.type, sf);
          const doc = docOf(m, sf);
          if (p.$ref) p = { allOf: [p], ...(doc ? { description: doc } : {}) };
          else if (doc) p = { ...p, description: doc };
          const meta = PATCH_META[`${name}.${prop}`];
          if (meta) Object.assign(p, meta);
          props[prop] = p;
          if (!m.questionToken) required.push(prop);
        }
        if (Object.keys(props).length) schema.properties = props;
        else schema['x-kubernetes-preserve-unknown-fields'] = true;
        if (required.length) schema.required = required;
        out[name] = schema;
      } else if (ts.isTypeAliasDeclaration(st)) {
        const name = nameOfDecl(st);
        const s = typeOf(st.type, sf);
        const d = docOf(st, sf);
        out[name] = { ...s, ...(d ? { description: d } : {}) };
        if (name.endsWith('meta.v1.Time') || name.endsWith('meta.v1.MicroTime')) out[name].format = 'date-time';
      }
    }
  };
  for (const sf of program.getSourceFiles()) if (sf.fileName.startsWith(root)) visit(sf);
  out[INT_OR_STRING] = {
    description: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  };
  // As kube-openapi writes Quantity in v3 (OpenAPIV3OneOfTypes).
  const quantity = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
  if (out[quantity]) out[quantity] = { description: out[quantity].description, oneOf: [{ type: 'string' }, { type: 'number' }] };
  return out;
}
