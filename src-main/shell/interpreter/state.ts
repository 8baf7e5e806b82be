/** Variables, functions and options of one shell; subshells work on a clone. */
import type { Stmt } from './ast.ts';

export interface ShellVar {
  /** For an indexed array, its element 0 (what `$a` gives). */
  value: string;
  exported: boolean;
  array?: Array<string | undefined>;
}

export class ShellState {
  vars = new Map<string, ShellVar>();
  functions = new Map<string, Stmt>();
  positional: string[] = [];
  lastStatus = 0;
  errexit = false;
  /** Loops being run (break/continue outside one are an error). */
  loopDepth = 0;
  /** Saved outer values of `local` variables, one frame per running function. */
  localFrames: Map<string, ShellVar | undefined>[] = [];

  constructor(public cwd: string, public history: string[] = []) {}

  get(name: string): string | undefined {
    return this.vars.get(name)?.value;
  }

  set(name: string, value: string, exported?: boolean): void {
    const existing = this.vars.get(name);
    // `a=x` on an array sets its element 0.
    const array = existing?.array ? [value, ...existing.array.slice(1)] : undefined;
    this.vars.set(name, { value, exported: exported ?? existing?.exported ?? false, ...(array ? { array } : {}) });
  }

  /** An indexed array's elements by index (unset ones undefined), a scalar as one element; undefined when unset. */
  getArray(name: string): Array<string | undefined> | undefined {
    const v = this.vars.get(name);
    return v ? v.array ?? [v.value] : undefined;
  }

  setArray(name: string, values: Array<string | undefined>): void {
    const existing = this.vars.get(name);
    this.vars.set(name, { value: values[0] ?? '', exported: existing?.exported ?? false, array: [...values] });
  }

  /** `a[i]=x`: a scalar becomes element 0 of the array; arrays are sparse, as bash's. */
  setIndex(name: string, index: number, value: string): void {
    const values = this.getArray(name) ?? [];
    values[index] = value;
    this.setArray(name, values);
  }

  export(name: string): void {
    const v = this.vars.get(name);
    if (v) v.exported = true;
    else this.vars.set(name, { value: '', exported: true });
  }

  unset(name: string): void {
    this.vars.delete(name);
  }

  declareLocal(name: string): void {
    const frame = this.localFrames.at(-1);
    if (frame && !frame.has(name)) frame.set(name, this.vars.get(name) ? { ...this.vars.get(name)! } : undefined);
  }

  env(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of this.vars) if (v.exported) env[k] = v.value;
    return env;
  }

  clone(): ShellState {
    const c = new ShellState(this.cwd, this.history);
    for (const [k, v] of this.vars) c.vars.set(k, { ...v, array: v.array && [...v.array] });
    c.functions = new Map(this.functions);
    c.positional = [...this.positional];
    c.lastStatus = this.lastStatus;
    c.errexit = this.errexit;
    c.loopDepth = this.loopDepth;
    return c;
  }
}

/** Control flow that unwinds the interpreter. */
export class ExitSignal { constructor(readonly status: number) {} }
export class ReturnSignal { constructor(readonly status: number) {} }
export class LoopSignal { constructor(readonly kind: 'break' | 'continue', public levels: number) {} }
