import { ApiProperty } from '@nestjs/swagger';
import { INSTALMENT_STATUSES, type InstalmentStatus } from '../entities/instalment.entity';

export class InstalmentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ type: 'integer', description: '1, 2, …: its place in the schedule' })
  seq!: number;
  @ApiProperty({ enum: INSTALMENT_STATUSES, enumName: 'InstalmentStatus' })
  status!: InstalmentStatus;
  @ApiProperty({ type: 'integer', description: 'pence' })
  amountPence!: number;
  @ApiProperty({ enum: ['acceptance', 'monitoring_report'], description: 'what makes it fall due' })
  trigger!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'for a monitoring report: months after the grant starts' })
  reportMonths!: number | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'the London day it fell due; null until its trigger' })
  dueOn!: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'payment requests (issue 12, to come)' })
  paymentRequests!: object[];
}

export class GrantPaymentsDto {
  @ApiProperty({ type: [InstalmentDto] })
  instalments!: InstalmentDto[];
}
