import { InMemoryStorageDriver } from 'nestjs-plugins/testing';

describe('InMemoryStorageDriver', () => {
  it('stores copies per bucket, lists by prefix and forgets deleted keys', async () => {
    const driver = new InMemoryStorageDriver();
    const body = Buffer.from('one');
    await driver.put('b', 'x/1', body, 'text/plain');
    await driver.put('b', 'y/2', Buffer.from('two'), 'text/plain');
    body.write('ONE');

    await expect(driver.get('b', 'x/1')).resolves.toEqual(Buffer.from('one'));
    await expect(driver.get('other', 'x/1')).resolves.toBeUndefined();
    await expect(driver.list('b', 'x/')).resolves.toEqual(['x/1']);
    await driver.delete('b', 'x/1');
    await driver.delete('b', 'missing');
    await expect(driver.list('b', '')).resolves.toEqual(['y/2']);
    expect(driver.bucketNames()).toEqual(['b']);
    driver.clear();
    expect(driver.bucketNames()).toEqual([]);
  });
});
