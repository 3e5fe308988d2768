import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import type { ComponentFixture } from '@angular/core/testing';
import { renderComponent, settle, setUpConsoleSpec } from '../../testing/test-helpers';
import { DATA_TABLE, byId, type TableColumn } from './data-table.component';

interface Item {
  id: string;
  name: string;
}

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DATA_TABLE],
  template: `
    <app-data-table class="all-table" [columns]="columns" [loading]="loading()">
      <ng-template [appRowOf]="items()" [appRowKey]="byId" let-item>
        <tr [attr.data-item]="item.id" [class.picked]="picked() === item.id">
          <td class="name">{{ item.name }}</td>
          <td>{{ item.id }}</td>
        </tr>
      </ng-template>
    </app-data-table>
    <app-data-table class="paged-table" [columns]="columns" [pageSize]="2" size="middle">
      <ng-template [appRowOf]="items()" let-item>
        <tr><td>{{ item.name }}</td><td>{{ item.id }}</td></tr>
      </ng-template>
    </app-data-table>
  `,
})
class HostComponent {
  readonly columns: readonly TableColumn[] = [{ title: 'users.username', width: '120px' }, ''];
  readonly byId = byId;
  readonly items = signal<Item[]>([
    { id: 'a', name: 'Alpha' },
    { id: 'b', name: 'Beta' },
    { id: 'c', name: 'Gamma' },
  ]);
  readonly loading = signal(false);
  readonly picked = signal<string | null>(null);
}

describe('DataTableComponent', () => {
  let fixture: ComponentFixture<HostComponent>;
  let el: HTMLElement;
  const rows = (table: string) => Array.from(el.querySelectorAll(`.${table} tbody tr.ant-table-row`));

  beforeEach(async () => {
    setUpConsoleSpec({ imports: [HostComponent] });
    ({ fixture, el } = await renderComponent(HostComponent));
  });

  it('heads the columns with their translated titles and widths, and draws every row as a table row', () => {
    const heads = Array.from(el.querySelectorAll('.all-table thead th'));
    expect(heads.map((th) => th.textContent!.trim())).toEqual(['用户名', '']);
    expect(heads.every((th) => th.classList.contains('ant-table-cell'))).toBeTrue();
    expect(el.querySelector<HTMLElement>('.all-table colgroup col')!.style.width).toBe('120px');
    expect(el.querySelector('.all-table .ant-table-small')).not.toBeNull();
    const all = rows('all-table');
    expect(all.map((tr) => tr.getAttribute('data-item'))).toEqual(['a', 'b', 'c']);
    expect(all[0].querySelector('td.name')!.classList).toContain('ant-table-cell');
    expect(el.querySelector('.all-table .ant-pagination')).toBeNull();
  });

  it('follows the page: new items, a changed row, the loading state, and keeps the rows of the same ids', async () => {
    const first = rows('all-table')[0];
    fixture.componentInstance.items.set([{ id: 'a', name: 'Alpha 2' }, { id: 'd', name: 'Delta' }]);
    fixture.componentInstance.picked.set('d');
    fixture.componentInstance.loading.set(true);
    await settle(fixture);
    const now = rows('all-table');
    expect(now.map((tr) => tr.querySelector('td.name')!.textContent)).toEqual(['Alpha 2', 'Delta']);
    expect(now[0]).toBe(first);
    expect(now[1].classList).toContain('picked');
    expect(el.querySelector('.all-table .ant-spin-spinning')).not.toBeNull();
  });

  it('pages the rows itself when given a page size, and says when there are none', async () => {
    expect(rows('paged-table').length).toBe(2);
    expect(el.querySelector('.paged-table .ant-pagination')).not.toBeNull();
    expect(el.querySelector('.paged-table .ant-table-middle')).not.toBeNull();
    fixture.componentInstance.items.set([]);
    await settle(fixture);
    const empty = el.querySelector<HTMLTableCellElement>('.all-table tbody .ant-table-placeholder td')!;
    expect(empty.colSpan).toBe(2);
    expect(el.querySelector('.paged-table .ant-pagination')).toBeNull();
  });
});
