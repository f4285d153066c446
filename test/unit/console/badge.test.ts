/** The console's status badges: the tone a reader sees for each status the platform reports. */
import { badge } from '../../../console/src/html';

const tone = (status: string) => /badge (\w+)/.exec(String(badge(status)))?.[1];

it('shows good news green, trouble red and work under way amber', () => {
  expect(['NO_DRIFT', 'NO DRIFT', 'PROMOTED', 'SUCCEEDED', 'READY'].map(tone)).toEqual(Array(5).fill('good'));
  expect(['DRIFTED', 'DRIFT', 'ROLLED_BACK', 'FAILED', 'ALARM'].map(tone)).toEqual(Array(5).fill('bad'));
  expect(['RUNNING', 'PENDING'].map(tone)).toEqual(['busy', 'busy']);
});
