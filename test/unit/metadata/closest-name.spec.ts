import { closestName } from '../../../lib/metadata/closest-name.js';

describe('closestName', () => {
  it('suggests a name one typo away', () => {
    expect(closestName('user-utlis', ['leaderboard', 'user-utils'])).toBe('user-utils');
    expect(closestName('greter', ['greeter'])).toBe('greeter');
  });

  it('ignores case', () => {
    expect(closestName('User-Utils', ['user-utils'])).toBe('user-utils');
  });

  it('allows one edit per three characters, and at least one', () => {
    expect(closestName('ab', ['ax'])).toBe('ax');
    expect(closestName('ab', ['xy'])).toBeUndefined();
    // 9 characters: up to 3 edits
    expect(closestName('inventory', ['invntry'])).toBe('invntry');
    expect(closestName('inventory', ['inv'])).toBeUndefined();
  });

  it('suggests nothing when no name is close', () => {
    expect(closestName('analytics', ['user-utils', 'leaderboard'])).toBeUndefined();
    expect(closestName('anything', [])).toBeUndefined();
  });

  it('picks the closest, ties by order of the candidates', () => {
    expect(closestName('getScore', ['setScores', 'getScores', 'getScore2', 'getScor'])).toBe('getScores');
    expect(closestName('plugin-b', ['plugin-a', 'plugin-c'])).toBe('plugin-a');
    expect(closestName('plugin-b', ['plugin-c', 'plugin-a'])).toBe('plugin-c');
    expect(closestName('getscore', ['getScores', 'getScore'])).toBe('getScore');
  });

  it('never suggests the name itself', () => {
    expect(closestName('greeter', ['greeter'])).toBeUndefined();
  });
});
