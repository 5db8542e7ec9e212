export default async function stopServices(): Promise<void> {
  const stops = globalThis.__holdslayerTestStops ?? [];
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
