/** `-o name`: kubectl's NamePrinter, `<kind>[.<group>]/<name>` per object. */
import type { ResourceInfo } from '../../api/resources.ts';
import { kindPrefix } from './human.ts';

export function printNames(resource: Pick<ResourceInfo, 'kind' | 'group'>, names: string[]): string {
  return names.map((n) => `${kindPrefix(resource)}/${n}\n`).join('');
}
