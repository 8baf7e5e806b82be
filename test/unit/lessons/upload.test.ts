import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePackFiles } from '../../../src-main/lessons/upload.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('a folder pick lands as the folder it was; a single zip as itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-upload-test-'));
  try {
    const root = writePackFiles([{ path: 'pack/one/index.json', base64: b64('{}') }, { path: 'pack/one/step1.md', base64: b64('# hi') }], dir);
    assert.equal(root, join(dir, 'pack'));
    assert.equal(readFileSync(join(dir, 'pack/one/step1.md'), 'utf8'), '# hi');
    const zip = writePackFiles([{ path: 'lessons.zip', base64: b64('PK') }], join(dir, 'z'));
    assert.equal(zip, join(dir, 'z', 'lessons.zip'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a path that climbs out of the pack is refused, and nothing is written outside', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-upload-test-'));
  try {
    assert.throws(() => writePackFiles([{ path: '../evil.sh', base64: b64('x') }], dir), /not a file inside the pack/);
    assert.throws(() => writePackFiles([{ path: 'a/../../evil.sh', base64: b64('x') }], dir), /not a file inside the pack/);
    assert.throws(() => writePackFiles([], dir), /no files/);
    assert.ok(!existsSync(join(dir, '..', 'evil.sh')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
