import { forwardVersionsRequest } from '@/lib/versionsProxy';

type Context = { params: Promise<{ docName: string; path?: string[] }> };

/**
 * `/api/docs/<doc>/versions[/<id>[/restore]]`: the sync server's version API, passed through
 * (lib/versionsProxy.ts says why). Authorised by the sync server, with the browser's token.
 */
async function forward(request: Request, { params }: Context): Promise<Response> {
  const { docName, path = [] } = await params;
  return forwardVersionsRequest(request, docName, path);
}

export const GET = forward;
export const POST = forward;
