import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { penceColumnTransformer, type Pence } from '@pcc/money';
import { Grant } from '../../grants';
import { Organisation } from '../../identity';

export const INSTALMENT_STATUSES = ['scheduled', 'due', 'on_hold', 'requested', 'approved', 'paid', 'failed'] as const;
export type InstalmentStatus = (typeof INSTALMENT_STATUSES)[number];

/**
 * One payment of a grant, made when the grant's offer is accepted from its round's schedule: the
 * acceptance share falls due at once, a monitoring report's share is scheduled until that report
 * is approved. A grant's instalments add up to its award exactly.
 */
@Entity('instalment')
@Index('UQ_instalment_grant_seq', ['grantId', 'seq'], { unique: true })
@Check('CHK_instalment_amount', `"amount_pence" > 0`)
@Check('CHK_instalment_status', `"status" IN ('scheduled', 'due', 'on_hold', 'requested', 'approved', 'paid', 'failed')`)
@Check('CHK_instalment_trigger', `"trigger" IN ('acceptance', 'monitoring_report')`)
@Check('CHK_instalment_report', `("trigger" = 'monitoring_report') = ("report_months" IS NOT NULL)`)
@Check('CHK_instalment_due', `"status" = 'scheduled' OR "due_on" IS NOT NULL`)
@Check('CHK_instalment_hold', `("status" = 'on_hold') = ("held_from" IS NOT NULL)`)
@Check('CHK_instalment_held_from', `"held_from" IS NULL OR "held_from" IN ('due', 'requested', 'approved', 'failed')`)
@Index('IDX_instalment_organisation', ['organisationId', 'status'])
export class Instalment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'grant_id', type: 'uuid' })
  grantId!: string;

  @ManyToOne(() => Grant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'grant_id' })
  grant?: Grant;

  /** The grant's organisation, kept here because a change of its bank details holds every unpaid instalment at once. */
  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  /** 1, 2, …: its place in the grant's schedule. */
  @Column({ type: 'integer' })
  seq!: number;

  @Column({ name: 'amount_pence', type: 'bigint', transformer: penceColumnTransformer })
  amountPence!: Pence;

  @Column({ type: 'text' })
  trigger!: 'acceptance' | 'monitoring_report';

  /** For a monitoring report's share: months after the grant starts that the report is due. */
  @Column({ name: 'report_months', type: 'integer', nullable: true })
  reportMonths!: number | null;

  @Column({ type: 'text', default: 'scheduled' })
  status!: InstalmentStatus;

  /** The London day it fell due; null while it waits for its trigger. */
  @Column({ name: 'due_on', type: 'date', nullable: true })
  dueOn!: string | null;

  /** While on hold for a change of bank details: where it stood before, to go back to once the change is verified. */
  @Column({ name: 'held_from', type: 'text', nullable: true })
  heldFrom!: 'due' | 'requested' | 'approved' | 'failed' | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
