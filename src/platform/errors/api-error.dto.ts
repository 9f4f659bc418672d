import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ description: 'The field as the client named it, as a dotted path', example: 'answers.q3' })
  field!: string;

  @ApiProperty({ description: 'The rule it broke, stable for clients to branch on', example: 'isNotEmpty' })
  rule!: string;

  @ApiProperty({ example: 'Enter the amount requested' })
  message!: string;
}

/** Codes used across every module; each module documents its own in its `*.exceptions.ts`. */
export const COMMON_ERROR_CODES: Record<string, string> = {
  validation_failed: 'One or more fields are wrong; `details` names each field and rule.',
  unauthorized: 'Not signed in, or the API token is missing, expired or revoked.',
  forbidden: 'Signed in but without the permission this operation needs.',
  not_found: 'No such record, or not one you may see.',
  conflict: 'A unique value already exists (often two identical requests at once).',
  conflict_retry: 'A concurrent change got there first; retry.',
  payload_too_large: 'The body or file is over the limit.',
  unsupported_media_type: 'The file type or content type is not accepted.',
  too_many_requests: 'Throttled; see the Retry-After header.',
  service_unavailable: 'The database is briefly unavailable; see the Retry-After header. Nothing was saved.',
  internal_error: 'A fault on our side; quote requestId.',
};

export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({
    description: `A stable, machine-readable code. Common codes: ${Object.entries(COMMON_ERROR_CODES)
      .map(([c, d]) => `\`${c}\` (${d})`)
      .join('; ')}. Module codes are prefixed by the module, e.g. \`funds.round_closed\`, \`applications.already_submitted\`, \`identity.throttled\`.`,
    example: 'validation_failed',
  })
  error!: string;

  @ApiProperty({ description: 'Written for the person who will read it', example: 'Enter the amount requested' })
  message!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'For validation failures: each field and the rule it broke' })
  details?: FieldErrorDto[];

  @ApiProperty({ description: 'Quote this when reporting a problem; it finds the log lines', example: 'a1b2c3d4e5f6' })
  requestId!: string;
}

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input: `validation_failed` with `details`, or a business rule with its own code',
  401: 'Not signed in or the token is not valid',
  403: 'No permission for this operation',
  404: 'Not found, or not yours to see',
  422: 'Well-formed but not acceptable: incomplete or ineligible (`details` lists each problem)',
  409: 'Conflicts with the current state (already exists, already submitted, changed concurrently)',
  413: 'Too large',
  415: 'Unsupported type',
  429: 'Too many attempts; see Retry-After',
  503: 'Database briefly unavailable; see Retry-After',
};

/** The error responses an operation can give, each with the one error shape. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  const all = [...new Set([400, 503, ...statuses])].sort();
  return applyDecorators(...all.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto })));
}
