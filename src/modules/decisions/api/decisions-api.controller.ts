import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Permission, type Principal, RequirePermission } from '../../../platform/access';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { DecisionsService } from '../decisions.service';
import { DecisionDraftDto, DecisionDto } from '../dto/decisions.dto';
import { type PccDecision, decisionNumber } from '../entities/pcc-decision.entity';

export function serialiseDecision(d: PccDecision): DecisionDto {
  return {
    id: d.id,
    number: decisionNumber(d),
    title: d.title,
    summary: d.summary,
    status: d.status,
    confidential: d.confidential,
    confidentialSubject: d.confidentialSubject,
    draftedBy: d.draftedBy,
    createdAt: d.createdAt,
  };
}

@ApiTags('decisions')
@ApiBearerAuth()
@Controller('api/v1/decisions')
export class DecisionsApiController {
  constructor(private readonly decisions: DecisionsService) {}

  @RequirePermission(Permission.DecisionsDraft)
  @Post()
  @ApiOperation({ summary: 'Draft a decision record for the Commissioner: it is numbered NNN-YYYY at once, in order and without gaps within the year' })
  @ApiCreatedResponse({ type: DecisionDto })
  @ApiErrorResponses(400, 401, 403, 409)
  async draft(@CurrentUser() me: Principal, @Body() body: DecisionDraftDto): Promise<DecisionDto> {
    return serialiseDecision(await this.decisions.draft(me, body));
  }
}
