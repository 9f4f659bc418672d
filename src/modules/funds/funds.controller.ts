import { Public } from '../identity/access.decorators';
import { Controller, Get, Render } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { FundsService } from './funds.service';

@Public()
@Controller()
export class FundsController {
  constructor(private readonly funds: FundsService) {}

  @Get('funds')
  @Render('pages/funds.njk')
  async fundsPage() {
    return { programmes: await this.funds.listProgrammes() };
  }

  @ApiTags('funds')
  @ApiOperation({ summary: 'Fund programmes and where their money comes from' })
  @Get('api/v1/fund-programmes')
  async list() {
    const programmes = await this.funds.listProgrammes();
    return programmes.map((p) => ({ id: p.id, code: p.code, name: p.name, fundingSource: p.fundingSource, summary: p.summary, exclusions: p.exclusions }));
  }

  @ApiTags('funds')
  @ApiOperation({ summary: 'The local authority areas the Commissioner covers' })
  @Get('api/v1/areas')
  async areas() {
    return (await this.funds.listAreas()).map((a) => ({ onsCode: a.onsCode, name: a.name, inForceArea: a.inForceArea }));
  }
}
