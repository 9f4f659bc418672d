import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { MonitoringReport } from './monitoring-report.entity';

/**
 * A reminder about a monitoring report that has been sent: one row per report and kind
 * ("before", "overdue_1", "overdue_7"). The primary key is the claim: the daily job inserts the
 * row and sends only if the insert took, so two instances never send one reminder twice.
 */
@Entity('monitoring_report_reminder')
export class MonitoringReportReminder {
  @PrimaryColumn({ name: 'report_id', type: 'uuid' })
  reportId!: string;

  @ManyToOne(() => MonitoringReport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id' })
  report?: MonitoringReport;

  @PrimaryColumn({ type: 'text' })
  kind!: string;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt!: Date;
}
