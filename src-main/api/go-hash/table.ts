/**
 * A Go type as reflect describes it, keyed by its reflect.Type.String() (`v1.PodSpec`, `*int64`, `[]v1.Container`),
 * which is also what go-spew prints. Struct fields: [Go name, JSON name, Go type, inlined into the parent JSON].
 */
export type GoField = [goName: string, jsonName: string, type: string, inline: boolean];

export type GoType =
  | { k: 'struct'; f: GoField[] }
  | { k: 'ptr' | 'slice'; e: string }
  | { k: 'map'; key: string; e: string }
  | { k: 'opaque' }
  | { k: 'string' | 'bool' }
  | { k: 'int' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64' };

export type GoTypeTable = Record<string, GoType>;
