import { inject, signal } from '@angular/core';
import { I18nService } from '../core/i18n/i18n.service';

/** A text the server keeps in both languages. */
export type Text = { zh: string; en: string };

/**
 * Names of things a page shows by id (clouds, extranet planes), read once; where the read fails, or an id is not
 * among them, the id shows. Create it in an injection context.
 */
export class Names {
  private readonly i18n = inject(I18nService);
  private readonly names = signal<ReadonlyMap<string, Text>>(new Map());

  constructor(private readonly read: () => Promise<{ items: readonly { id: string; name: string; nameEn: string }[] }>) {}

  /** Reads the names unless it already has them. */
  async load(): Promise<void> {
    if (this.names().size) return;
    try {
      const { items } = await this.read();
      this.names.set(new Map(items.map((x) => [x.id, { zh: x.name, en: x.nameEn }])));
    } catch {
      // The ids stay readable.
    }
  }

  name(id: string | null): string {
    if (!id) return '';
    const n = this.names().get(id);
    return n ? this.i18n.text(n) : id;
  }
}

/** A resource's size from its kind and spec (or a planned resource's item): flavour and disk, replicas, GiB, prefix. */
export function sizeText(kind: string, spec: unknown): string {
  const s = (spec ?? {}) as Record<string, unknown>;
  switch (kind) {
    case 'host': return `${String(s['flavour'])} · ${String(s['systemDiskGiB'])} GiB`;
    case 'workload': return `${String(s['size'])} × ${String(s['replicas'])}`;
    case 'volume': return `${String(s['sizeGiB'])} GiB`;
    case 'segment': return `/${String(s['ipv4Length'])}${s['dualStack'] ? ' + /64' : ''}`;
    default: return '';
  }
}
