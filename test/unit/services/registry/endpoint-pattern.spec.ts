import { compileEndpoint, describeEndpoint, matchesEndpoint, pathSegments } from '../../../../lib/services/registry/endpoint-pattern.js';

describe('endpoint patterns', () => {
  const byId = compileEndpoint({ method: 'GET', path: '/contacts/:id' });
  const notes = compileEndpoint({ method: 'GET', path: '/contacts/:id/notes/:noteId' });

  it.each([
    ['/contacts/9', true],
    ['contacts/9', true],
    ['/contacts/9/', true],
    ['/contacts/9?expand=deals', true],
    ['/contacts', false],
    ['/contacts/9/deals', false],
    ['/companies/9', false],
  ])('GET /contacts/:id vs %s → %s', (path, expected) => {
    expect(matchesEndpoint(byId, 'GET', pathSegments(path))).toBe(expected);
  });

  it('needs the same method', () => {
    expect(matchesEndpoint(byId, 'DELETE', pathSegments('/contacts/9'))).toBe(false);
  });

  it('lets each :param match exactly one segment', () => {
    expect(matchesEndpoint(notes, 'GET', pathSegments('/contacts/9/notes/3'))).toBe(true);
    expect(matchesEndpoint(notes, 'GET', pathSegments('/contacts/9/notes'))).toBe(false);
  });

  it('describes an endpoint as METHOD path', () => {
    expect(describeEndpoint({ method: 'GET', path: '/contacts/:id', description: 'one' })).toBe('GET /contacts/:id');
  });
});
