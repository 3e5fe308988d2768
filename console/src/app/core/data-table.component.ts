import {
  ChangeDetectionStrategy,
  Component,
  Directive,
  Injector,
  TemplateRef,
  ViewContainerRef,
  computed,
  contentChild,
  inject,
  input,
  type EmbeddedViewRef,
  type OnChanges,
} from '@angular/core';
import { NzTableModule } from 'ng-zorro-antd/table';
import { TranslatePipe } from './i18n/t.pipe';

/**
 * A column head: its title's i18n key ('' for a column without a title), or the key with a width where the
 * column needs one.
 */
export type TableColumn = string | { readonly title: string; readonly width?: string };

interface RowContext<T> {
  $implicit: T;
}

/**
 * The rows of an `app-data-table`: `<ng-template [appRowOf]="items()" [appRowKey]="byId" let-item>` holding the
 * `<tr>` (or rows) of one item. The data is given here so that `let-item` has the item's type in the template.
 */
@Directive({ selector: 'ng-template[appRowOf]' })
export class TableRowDirective<T> {
  readonly appRowOf = input.required<readonly T[]>();
  /** What keeps an item's rows when the list is read again (its id); the item itself when not given. */
  readonly appRowKey = input<(item: NoInfer<T>) => unknown>((item) => item);
  readonly template = inject<TemplateRef<RowContext<T>>>(TemplateRef);

  static ngTemplateContextGuard<T>(_dir: TableRowDirective<T>, _ctx: unknown): _ctx is RowContext<T> {
    return true;
  }
}

/**
 * Renders one item's rows inside the table, with the table's injector: ng-zorro's rows and cells ask the table
 * for its style service (that is how they get `ant-table-row` and `ant-table-cell`), and rows declared by the
 * page would not find it where they are declared.
 */
@Directive({ selector: 'ng-container[appRowOutlet]' })
export class RowOutletDirective<T> implements OnChanges {
  readonly appRowOutlet = input.required<TemplateRef<RowContext<T>>>();
  readonly appRowOutletItem = input.required<T>();
  private readonly container = inject(ViewContainerRef);
  private readonly injector = inject(Injector);
  private view: EmbeddedViewRef<RowContext<T>> | null = null;
  private shown: TemplateRef<RowContext<T>> | null = null;

  ngOnChanges(): void {
    const template = this.appRowOutlet();
    if (this.view && this.shown === template) {
      this.view.context.$implicit = this.appRowOutletItem();
      return;
    }
    this.container.clear();
    this.shown = template;
    this.view = this.container.createEmbeddedView(template, { $implicit: this.appRowOutletItem() }, { injector: this.injector });
  }
}

/**
 * A list table, the one way the console draws one: ng-zorro's table with a head of translated column titles
 * and the page's rows (`TableRowDirective`). By default the page gives all the rows it has read (lists read
 * more with "load more", so the table neither pages nor shows a pager); with `pageSize` the table pages them
 * itself and shows its pager when there is more than one page. The page names the table by a class on it.
 */
@Component({
  selector: 'app-data-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzTableModule, TranslatePipe, RowOutletDirective],
  template: `
    <nz-table
      #table
      [nzSize]="size()"
      [nzData]="rows().appRowOf()"
      [nzLoading]="loading()"
      [nzFrontPagination]="pageSize() !== null"
      [nzShowPagination]="pageSize() !== null"
      [nzPageSize]="pageSize() ?? 10"
      [nzHideOnSinglePage]="true"
    >
      <thead>
        <tr>
          @for (column of heads(); track $index) {
            <th [nzWidth]="column.width ?? null">{{ column.title ? (column.title | t) : '' }}</th>
          }
        </tr>
      </thead>
      <tbody>
        @for (item of table.data; track rows().appRowKey()(item)) {
          <ng-container [appRowOutlet]="rows().template" [appRowOutletItem]="item" />
        }
      </tbody>
    </nz-table>
  `,
  styles: `:host { display: block; }`,
})
export class DataTableComponent {
  readonly columns = input.required<readonly TableColumn[]>();
  readonly loading = input(false);
  readonly size = input<'small' | 'middle'>('small');
  /** Rows a page when the table pages what it is given; null (the default) shows them all. */
  readonly pageSize = input<number | null>(null);
  protected readonly heads = computed(() => this.columns().map((column) => (typeof column === 'string' ? { title: column } : column)));
  protected readonly rows = contentChild.required<TableRowDirective<unknown>>(TableRowDirective);
}

/** What a template writes a list table with: the table, its rows, and ng-zorro's row and cell directives for them. */
export const DATA_TABLE = [DataTableComponent, TableRowDirective, NzTableModule] as const;

/** The usual row key: the item's id. */
export const byId = (item: { readonly id: string | number }): string | number => item.id;
