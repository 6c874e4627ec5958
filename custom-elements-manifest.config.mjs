// `npm run manifest` (part of `npm run build`): dist/custom-elements.json, the public API of <osg-konsultasi>
// (attributes, events, parts, CSS properties) for editors, linters and documentation tools. The inner elements
// are not in it: they are parts of <osg-konsultasi>, not something a page uses on its own.
export default {
  globs: ['widget/components/konsultasi/konsultasi.component.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  quiet: true,
  plugins: [
    {
      // Lit's `state: true` properties are private state, not attributes.
      name: 'osg-public-attributes-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const declaration of mod.declarations ?? []) {
            const isPrivate = (name) => declaration.members?.some((member) => member.name === name && member.privacy === 'private');
            declaration.attributes = declaration.attributes?.filter((attribute) => !isPrivate(attribute.fieldName ?? attribute.name));
            declaration.members = declaration.members?.filter((member) => member.privacy !== 'private' && !member.name.startsWith('#'));
          }
        }
      },
    },
  ],
};
