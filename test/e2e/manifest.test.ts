import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './support/harness.js';

interface Declaration {
  tagName?: string;
  customElement?: boolean;
  attributes?: Array<{ name: string }>;
  events?: Array<{ name: string; type?: { text: string } }>;
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string }>;
}

describe('the custom-elements manifest the build writes', () => {
  const file = join(ROOT, 'dist/custom-elements.json');

  it('is where package.json says', () => {
    assert.equal(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).customElements, 'dist/custom-elements.json');
    assert.ok(existsSync(file), `${file} is missing: run \`npm run build\``);
  });

  it('describes <osg-konsultasi>: its attributes, its typed events, its parts and custom properties', () => {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { modules: Array<{ declarations?: Declaration[] }> };
    const elements = manifest.modules.flatMap((module) => module.declarations ?? []).filter((declaration) => declaration.customElement);
    assert.deepEqual(elements.map((element) => element.tagName), ['osg-konsultasi']);
    const [element] = elements as [Declaration];
    assert.deepEqual(element.attributes!.map((attribute) => attribute.name).sort(), ['category', 'lang', 'server', 'site', 'theme']);
    assert.deepEqual(
      element.events!.map((event) => [event.name, event.type?.text]),
      [
        ['osg-question-asked', 'CustomEvent<QuestionAskedDetail>'],
        ['osg-answer-posted', 'CustomEvent<AnswerPostedDetail>'],
        ['osg-connection-change', 'CustomEvent<ConnectionChangeDetail>'],
      ],
    );
    const parts = element.cssParts!.map((part) => part.name);
    for (const name of ['base', 'status', 'notice', 'thread', 'answer', 'rating-up', 'nip']) assert.ok(parts.includes(name), name);
    const properties = element.cssProperties!.map((property) => property.name);
    for (const name of ['--osg-color-primary', '--osg-dark-color-primary', '--osg-spacing']) assert.ok(properties.includes(name), name);
  });
});
