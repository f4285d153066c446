/**
 * The README's contents list names every section, in order, with the anchor GitHub gives it, so
 * a section added or renamed without its entry fails here rather than leaving a dead link.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const README = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

/** GitHub's heading anchor: lower case, punctuation but hyphens dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replaceAll(' ', '-');

describe('README contents', () => {
  it('lists every section in order, each linked to its anchor', () => {
    // Prepare
    const sections = README.split('\n')
      .filter((line) => line.startsWith('## ') && line !== '## Contents')
      .map((line) => line.slice(3));
    const contents = README.split('## Contents\n')[1]?.split('\n## ')[0] ?? '';

    // Act
    const entries = [...contents.matchAll(/^- \[(.+)\]\(#(.+)\)$/gm)].map((m) => ({
      title: m[1],
      anchor: m[2],
    }));

    // Assess
    expect(entries.map((e) => e.anchor)).toEqual(sections.map(anchorOf));
    expect(entries.map((e) => e.title)).toEqual(sections.map((s) => s.replaceAll('`', '')));
  });
});
