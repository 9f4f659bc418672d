import { Controller, Get } from '@nestjs/common';
import { AreasService } from '../../areas';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { Public } from '../../../platform/access';
import { AreaDto, FundProgrammeDto } from '../dto/funds-responses.dto';
import { FundsService } from '../funds.service';

/** The public reference data behind the funds: programmes and the areas the Commissioner covers. */
@Public()
@Controller()
export class FundsApiController {
  constructor(
    private readonly funds: FundsService,
    private readonly areasService: AreasService,
  ) {}

  @ApiTags('funds')
  @ApiOperation({ summary: 'Fund programmes and where their money comes from' })
  @ApiOkResponse({ type: [FundProgrammeDto] })
  @ApiErrorResponses()
  @Get('api/v1/fund-programmes')
  async list(): Promise<FundProgrammeDto[]> {
    const programmes = await this.funds.listProgrammes();
    return programmes.map((p) => ({ id: p.id, code: p.code, name: p.name, fundingSource: p.fundingSource, summary: p.summary, exclusions: p.exclusions }));
  }
  @ApiTags('funds')
  @ApiOperation({ summary: 'The local authority areas the Commissioner covers' })
  @ApiOkResponse({ type: [AreaDto] })
  @ApiErrorResponses()
  @Get('api/v1/areas')
  async areas(): Promise<AreaDto[]> {
    return (await this.areasService.list()).map((a) => ({ onsCode: a.onsCode, name: a.name, inForceArea: a.inForceArea }));
  }
}
