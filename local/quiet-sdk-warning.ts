// The SDK warns once per process that it will need Node 22 from 2027 (Lambda runs nodejs22.x). Tests and the demo run on
// Node 20 here; hide that one warning so real ones stand out.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (text.startsWith('NodeVersionSupportWarning')) return;
  (emitWarning as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
