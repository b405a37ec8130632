// The report page of a store: the register's rows over their whole span, the charts and the lifecycle diagram.
import type { MisasStorage } from '@misas/core';
import { buildReport, readMermaidBundle, readRegisterRows } from '@misas/report';

export async function reportPage(storage: MisasStorage): Promise<string> {
  const { rows, period } = await readRegisterRows(storage, {}); // or { from, to, fundId }
  if (period === null) throw new Error('no case in the register: nothing to report');
  // Mermaid's bundle is inlined so that the page draws the diagram offline; `null` leaves it as text.
  return buildReport(rows, { ...period, fundId: null, mermaidBundle: await readMermaidBundle() });
}
