import { readFile } from 'node:fs/promises';
import ts from 'typescript';

// @aws-sdk/client-s3 is an optional peer dependency and lib/index.ts exports the driver,
// so the emitted module must not import the SDK when it is loaded, only when first used.
describe('S3StorageDriver module', () => {
  it('imports @aws-sdk/client-s3 only dynamically', async () => {
    const source = await readFile(new URL('../../../../lib/resources/buckets/s3.storage-driver.ts', import.meta.url), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.NodeNext, target: ts.ScriptTarget.ES2022 },
      fileName: 's3.storage-driver.ts',
    });

    expect(outputText).not.toMatch(/^\s*import\b[^(]*['"]@aws-sdk\/client-s3['"]/m);
    expect(outputText).toContain("import('@aws-sdk/client-s3')");
  });
});
