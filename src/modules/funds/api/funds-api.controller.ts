import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { AreasService } from '../../areas';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../../platform/errors/api-error.dto';
import { Permission, Public, RequirePermission } from '../../../platform/access';
import { IdPipe } from '../../../platform/http/id.pipe';
import { FundSettingsDto } from '../dto/fund-settings.dto';
import { AreaDto, FundProgrammeDto, FundProgrammeSettingsDto } from '../dto/funds-responses.dto';
import type { FundProgramme } from '../entities/fund-programme.entity';
import { FundsService } from '../funds.service';

const programmeDto = (p: FundProgramme): FundProgrammeDto => ({
  id: p.id,
  code: p.code,
  name: p.name,
  fundingSource: p.fundingSource,
  summary: p.summary,
  exclusions: p.exclusions,
  crimeAndDisorderReduction: p.crimeAndDisorderReduction,
});

/** The public reference data behind the funds (programmes and the areas the Commissioner covers), and a fund's settings for its managers. */
@Controller()
export class FundsApiController {
  constructor(
    private readonly funds: FundsService,
    private readonly areasService: AreasService,
  ) {}

  @Public()
  @ApiTags('funds')
  @ApiOperation({ summary: 'Fund programmes and where their money comes from' })
  @ApiOkResponse({ type: [FundProgrammeDto] })
  @ApiErrorResponses()
  @Get('api/v1/fund-programmes')
  async list(): Promise<FundProgrammeDto[]> {
    return (await this.funds.listProgrammes()).map(programmeDto);
  }

  @RequirePermission(Permission.RoundsManage)
  @ApiTags('funds')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Change a fund’s settings (fund managers): whether its grants are crime and disorder reduction grants on the Specified Information list, and its cost centre; a field left out keeps its value (audited)',
  })
  @ApiOkResponse({ type: FundProgrammeSettingsDto })
  @ApiErrorResponses(400, 401, 403, 404)
  @Patch('api/v1/fund-programmes/:id')
  async update(@Param('id', IdPipe) id: string, @Body() body: FundSettingsDto): Promise<FundProgrammeSettingsDto> {
    const p = await this.funds.updateSettings(id, { crimeAndDisorderReduction: body.crimeAndDisorderReduction, costCentre: body.costCentre });
    return { ...programmeDto(p), costCentre: p.costCentre };
  }

  @Public()
  @ApiTags('funds')
  @ApiOperation({ summary: 'The local authority areas the Commissioner covers' })
  @ApiOkResponse({ type: [AreaDto] })
  @ApiErrorResponses()
  @Get('api/v1/areas')
  async areas(): Promise<AreaDto[]> {
    return (await this.areasService.list()).map((a) => ({ onsCode: a.onsCode, name: a.name, inForceArea: a.inForceArea }));
  }
}
