import { ChangeDetectionStrategy, Component, PendingTasks, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormArray, FormControl, FormGroup, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';
import { VisibleResizeDirective } from './visible-resize.directive';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import { localError, toApiError, type ApiError } from '../core/api-error';
import type { ApiInputs, ApiOutputs } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { layoutPlan, planGraphOptions } from './plan-graph';

type Group = ApiOutputs['dr']['protection']['list']['items'][number];
type Plan = ApiOutputs['dr']['plans']['list']['items'][number];
type PlanDetail = ApiOutputs['dr']['plans']['get'];
type Preview = ApiOutputs['dr']['plans']['check'];
export type Draft = ApiInputs['dr']['plans']['save']['draft'];
type DraftStep = Draft['steps'][number];
/** A step as a saved version answers it (read-only arrays); the editor's rows start from these. */
type SavedStep = PlanDetail['content']['steps'][number];
type ActionStep = Extract<DraftStep, { kind: 'action' }>;

/** The operations a plan's action step may name (the server's PLAN_OPERATIONS; the type keeps them in step). */
export const PLAN_OPERATIONS: readonly ActionStep['operation'][] = ['promoteReplica', 'scaleStandby', 'switchTraffic', 'stopSource', 'reverseReplication', 'breakLink'];
/** Kinds a step can be created with here; probes keep their checks as saved (edited through the API). */
export const NEW_STEP_KINDS = ['action', 'manual', 'wait'] as const;

type StepForm = FormGroup<{
  /** The id the step had in the version being edited ('' for a new step): probes are found again by it. */
  origin: FormControl<string>;
  id: FormControl<string>;
  title: FormControl<string>;
  group: FormControl<number>;
  kind: FormControl<DraftStep['kind']>;
  estimateSeconds: FormControl<number>;
  dependsOn: FormControl<string[]>;
  systemId: FormControl<string>;
  operation: FormControl<ActionStep['operation']>;
  at: FormControl<'source' | 'target'>;
  replicas: FormControl<number | null>;
  seconds: FormControl<number>;
  reason: FormControl<string>;
  promptZh: FormControl<string>;
  promptEn: FormControl<string>;
}>;

const STEP_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * DR plans (issue 11.8): pick a group's plan and version; the graph with the critical path in red and its RTO
 * estimate; the step list. Operators edit a plan as a table of steps (title, priority group, dependencies,
 * estimate and each kind's own fields), check it on the server (the same check saving makes: systems,
 * directions, declared operations, cycles — nothing written) and save it as a new version.
 */
@Component({
  selector: 'app-dr-plan',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ReactiveFormsModule, NgxEchartsDirective, VisibleResizeDirective, NzButtonModule, NzInputModule, NzSelectModule, NzTableModule, NzTagModule, ErrorAlertComponent, TranslatePipe],
  providers: [provideEchartsCore({ echarts: () => import('./dr-echarts').then((m) => m.echarts) })],
  templateUrl: './dr-plan.component.html',
  styles: `
    .plan-pickers { display: flex; gap: 8px; flex-wrap: wrap; margin-bottom: 12px; }
    .plan-pickers nz-select { min-width: 200px; }
    .plan-graph { height: 360px; border: 1px solid #e5e7eb; margin-bottom: 12px; }
    tr.critical td { background: #fef2f2; }
    .step-editor { width: 100%; border-collapse: collapse; }
    .step-editor td, .step-editor th { padding: 4px; vertical-align: top; text-align: left; }
    .step-editor nz-select { min-width: 140px; }
    .step-group, .step-estimate, .group-number { width: 80px; }
    .plan-groups { display: flex; gap: 12px; flex-wrap: wrap; align-items: center; }
    .plan-group-row { display: inline-flex; gap: 4px; }
    .editor-actions { display: flex; gap: 8px; margin-top: 12px; flex-wrap: wrap; }
    .editor-head { display: flex; gap: 8px; align-items: center; max-width: 480px; }
  `,
})
export class DrPlanComponent {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly i18n = inject(I18nService);

  readonly groups = input.required<Group[]>();
  readonly plans = input.required<Plan[]>();
  /** Systems by id with their names (from readiness): action steps name one of the group's systems. */
  readonly systems = input<{ id: string; name: string }[]>([]);
  readonly canEdit = input(false);
  /** A version was saved: the parent re-reads the plan list. */
  readonly saved = output<{ planId: string; version: number }>();

  protected readonly operations = PLAN_OPERATIONS;
  protected readonly newKinds = NEW_STEP_KINDS;
  protected readonly groupId = signal<string | null>(null);
  protected readonly planId = signal<string | null>(null);
  protected readonly detail = signal<PlanDetail | null>(null);
  protected readonly editing = signal(false);
  protected readonly preview = signal<Preview | null>(null);
  /** The preview matches the form as it is now (any edit makes it stale until checked again). */
  protected readonly previewFresh = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  /** The server's check of the draft, and saving it. */
  protected readonly actions = new Actions<'check' | 'save'>({ error: this.error });
  private readonly formVersion = signal(0);
  /** Probe steps are kept whole from the version being edited; the form edits their common fields. */
  private readonly kept = new Map<string, SavedStep>();

  /** The pickers: changed by the user or by the component (then without emitting, so nothing loads twice). */
  protected readonly groupCtl = new FormControl<string | null>(null);
  protected readonly planCtl = new FormControl<string | null>(null);
  protected readonly versionCtl = new FormControl<number | null>(null);

  protected readonly form = this.fb.group({
    name: this.fb.control('', [Validators.required, Validators.minLength(2), Validators.maxLength(100)]),
    groups: this.fb.array<FormGroup<{ number: FormControl<number>; name: FormControl<string> }>>([]),
    steps: this.fb.array<StepForm>([]),
  });

  protected get groupsArray() {
    return this.form.controls.groups;
  }

  protected get stepsArray(): FormArray<StepForm> {
    return this.form.controls.steps;
  }

  protected readonly plansOfGroup = computed(() => this.plans().filter((p) => p.groupId === this.groupId()));
  protected readonly groupSystems = computed(() => {
    const g = this.groups().find((x) => x.id === this.groupId());
    const names = new Map(this.systems().map((s) => [s.id, s.name]));
    return (g?.systemIds ?? []).map((id) => ({ id, name: names.get(id) ?? id }));
  });
  protected readonly stepIds = computed(() => {
    this.formVersion();
    return this.stepsArray.controls.map((c) => c.controls.id.value).filter((id) => id.length > 0);
  });

  /** What the graph and the estimate show: the saved version, or the last check of the draft being edited. */
  protected readonly shown = computed(() => {
    if (this.editing()) {
      const p = this.preview();
      this.formVersion();
      return p ? { estimate: p.estimate, edges: p.edges, steps: this.draftSteps() } : null;
    }
    const d = this.detail();
    return d ? { estimate: d.estimate, edges: d.edges, steps: d.content.steps } : null;
  });
  protected readonly critical = computed(() => new Set(this.shown()?.estimate.criticalPath ?? []));
  protected readonly graph = computed(() => {
    const s = this.shown();
    if (!s) return {};
    const layout = layoutPlan(s.steps.map((x) => ({ id: x.id, title: x.title, group: x.group, kind: x.kind, estimateSeconds: x.estimateSeconds })), s.edges, s.estimate.criticalPath);
    return planGraphOptions(layout, (k) => this.i18n.t(`dr.plan.kind.${k}`));
  });

  constructor() {
    // The first group is shown as soon as the groups arrive.
    effect(() => {
      const first = this.groups()[0];
      if (first && untracked(() => this.groupId()) === null) untracked(() => this.pickGroup(first.id));
    });
    this.groupCtl.valueChanges.subscribe((id) => id && this.pickGroup(id));
    this.planCtl.valueChanges.subscribe((id) => id && this.pickPlan(id));
    this.versionCtl.valueChanges.subscribe((v) => v && this.pickVersion(v));
    this.form.valueChanges.subscribe(() => {
      this.formVersion.update((v) => v + 1);
      this.previewFresh.set(false);
    });
  }

  protected groupName(content: PlanDetail['content'], n: number): string {
    return content.groups.find((g) => g.number === n)?.name ?? String(n);
  }

  protected pickGroup(id: string): void {
    this.groupId.set(id);
    this.groupCtl.setValue(id, { emitEvent: false });
    this.editing.set(false);
    this.detail.set(null);
    const first = this.plans().find((p) => p.groupId === id);
    this.planId.set(null);
    this.planCtl.setValue(null, { emitEvent: false });
    if (first) this.pickPlan(first.id);
  }

  protected pickPlan(id: string, version?: number): void {
    this.planId.set(id);
    this.planCtl.setValue(id, { emitEvent: false });
    this.editing.set(false);
    void this.tasks.run(() => this.load(id, version));
  }

  protected pickVersion(version: number): void {
    const id = this.planId();
    if (id) this.pickPlan(id, version);
  }

  /** Opens the editor on a version (a new version of that plan) or on an empty draft (a new plan). */
  protected edit(from: PlanDetail | null): void {
    this.kept.clear();
    this.groupsArray.clear();
    this.stepsArray.clear();
    const content = from?.content ?? { name: '', groups: [{ number: 1, name: this.i18n.t('dr.plan.firstGroup') }], steps: [] };
    this.form.controls.name.setValue(content.name);
    for (const g of content.groups) this.addGroup(g);
    for (const s of content.steps) {
      if (s.kind === 'probe') this.kept.set(s.id, s);
      this.stepsArray.push(this.stepForm(s, true));
    }
    this.editingPlanId = from?.id ?? null;
    this.preview.set(from ? { estimate: from.estimate, edges: from.edges } : null);
    this.editing.set(true);
    this.previewFresh.set(from !== null);
    this.error.set(null);
  }

  private editingPlanId: string | null = null;

  protected addGroup(g?: { number: number; name: string }): void {
    const next = Math.max(0, ...this.groupsArray.controls.map((c) => c.controls.number.value)) + 1;
    this.groupsArray.push(this.fb.group({
      number: this.fb.control(g?.number ?? next, [Validators.required, Validators.min(0), Validators.max(1000)]),
      name: this.fb.control(g?.name ?? '', [Validators.required, Validators.maxLength(100)]),
    }));
  }

  protected addStep(kind: (typeof NEW_STEP_KINDS)[number]): void {
    const taken = new Set(this.stepIds());
    let n = this.stepsArray.length + 1;
    while (taken.has(`${kind}-${n}`)) n++;
    const lastGroup = Math.max(1, ...this.groupsArray.controls.map((c) => c.controls.number.value));
    const base = { id: `${kind}-${n}`, title: '', group: lastGroup, dependsOn: [] as string[], estimateSeconds: 60 };
    const step: SavedStep = kind === 'action'
      ? { ...base, kind, operation: 'scaleStandby', at: 'target', systemId: this.groupSystems()[0]?.id ?? '' }
      : kind === 'wait' ? { ...base, kind, seconds: 60, reason: '' } : { ...base, kind, prompt: { zh: '', en: '' } };
    this.stepsArray.push(this.stepForm(step));
  }

  protected removeStep(i: number): void {
    const id = this.stepsArray.at(i).controls.id.value;
    this.stepsArray.removeAt(i);
    // Nothing may keep waiting for a step that is gone.
    for (const c of this.stepsArray.controls) c.controls.dependsOn.setValue(c.controls.dependsOn.value.filter((d) => d !== id));
  }

  /** The server's check of the draft as it stands: the graph and the estimate follow, or the reason it is refused. */
  protected async check(): Promise<void> {
    const groupId = this.groupId();
    if (!groupId || !this.valid()) return;
    await this.actions.run('check', async () => {
      this.preview.set(await this.api.dr.plans.check.query({ groupId, draft: this.draft() }));
      this.previewFresh.set(true);
    });
  }

  protected async save(): Promise<void> {
    const groupId = this.groupId();
    if (!groupId || !this.valid()) return;
    await this.actions.run('save', async () => {
      const r = await this.api.dr.plans.save.mutate({ groupId, ...(this.editingPlanId ? { planId: this.editingPlanId } : {}), draft: this.draft() });
      this.editing.set(false);
      this.saved.emit({ planId: r.plan.id, version: r.version });
      this.pickPlan(r.plan.id, r.version);
    });
  }

  /** The form's own checks first (ids, required texts), so the server is asked only about what it alone knows. */
  private valid(): boolean {
    this.form.markAllAsTouched();
    for (const c of this.stepsArray.controls) c.controls.id.updateValueAndValidity();
    if (this.form.invalid) {
      this.error.set(localError('dr.plan.formInvalid'));
      return false;
    }
    return true;
  }

  private draftSteps(): DraftStep[] {
    return this.stepsArray.controls.map((c) => toStep(c.getRawValue(), this.kept));
  }

  private draft(): Draft {
    return { name: this.form.controls.name.value.trim(), groups: this.groupsArray.controls.map((g) => g.getRawValue()), steps: this.draftSteps() };
  }

  private stepForm(s: SavedStep, origin = false): StepForm {
    const fb = this.fb;
    return fb.group({
      origin: fb.control(origin ? s.id : ''),
      id: fb.control(s.id, [Validators.required, Validators.pattern(STEP_ID)]),
      title: fb.control(s.title, [Validators.required, Validators.maxLength(200)]),
      group: fb.control(s.group, [Validators.required, Validators.min(0), Validators.max(1000)]),
      kind: fb.control(s.kind),
      estimateSeconds: fb.control(s.estimateSeconds, [Validators.required, Validators.min(0)]),
      dependsOn: fb.control<string[]>([...(s.dependsOn ?? [])]),
      systemId: fb.control(s.systemId ?? '', s.kind === 'action' ? [Validators.required] : []),
      operation: fb.control<ActionStep['operation']>(s.kind === 'action' ? s.operation : 'scaleStandby'),
      at: fb.control<'source' | 'target'>(s.kind === 'action' ? s.at : 'target'),
      replicas: fb.control<number | null>(s.kind === 'action' ? (s.replicas ?? null) : null),
      seconds: fb.control(s.kind === 'wait' ? s.seconds : 60, s.kind === 'wait' ? [Validators.required, Validators.min(1)] : []),
      reason: fb.control(s.kind === 'wait' ? s.reason : '', s.kind === 'wait' ? [Validators.required] : []),
      promptZh: fb.control(s.kind === 'manual' ? s.prompt.zh : '', s.kind === 'manual' ? [Validators.required] : []),
      promptEn: fb.control(s.kind === 'manual' ? s.prompt.en : '', s.kind === 'manual' ? [Validators.required] : []),
    });
  }

  private async load(id: string, version?: number): Promise<void> {
    this.error.set(null);
    try {
      const d = await this.api.dr.plans.get.query({ id, ...(version ? { version } : {}) });
      this.detail.set(d);
      this.versionCtl.setValue(d.version, { emitEvent: false });
    } catch (e) {
      this.detail.set(null);
      this.error.set(toApiError(e));
    }
  }
}

/** One row of the editor back into the step the API takes. */
export function toStep(v: ReturnType<StepForm['getRawValue']>, kept: ReadonlyMap<string, SavedStep>): DraftStep {
  const base = { id: v.id.trim(), title: v.title.trim(), group: Number(v.group), dependsOn: v.dependsOn, estimateSeconds: Number(v.estimateSeconds) };
  switch (v.kind) {
    case 'action':
      return { ...base, kind: 'action', operation: v.operation, at: v.at, systemId: v.systemId, ...(v.replicas ? { replicas: Number(v.replicas) } : {}) };
    case 'wait':
      return { ...base, kind: 'wait', seconds: Number(v.seconds), reason: v.reason.trim() };
    case 'manual':
      return { ...base, kind: 'manual', prompt: { zh: v.promptZh.trim(), en: v.promptEn.trim() } };
    case 'probe': {
      // Probes keep their checks as saved; only the common fields are edited here. They are found by the id
      // the version had, so a renamed probe keeps its checks.
      const original = kept.get(v.origin);
      if (!original || original.kind !== 'probe') throw new Error(`probe step ${v.id} has no saved checks`);
      return { ...original, checks: original.checks.map((c) => ({ ...c })), ...base, kind: 'probe' };
    }
  }
}
