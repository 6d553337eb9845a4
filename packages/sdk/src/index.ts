export type { IdentifyResult, PipelineCounters, RequestContext, TrackResult } from '@skopos/core';
export type { SkoposSDKOptions } from './options.ts';
export type { ApiEventPayload, DataObject, IdentifyData, UserData } from './public-types.ts';
export type { ExpressRequestLike, NodeRequestLike, SdkRequest } from './request-context.ts';
export type { SdkFailure, SdkIdentifyResult, SdkTrackResult } from './results.ts';
export { SkoposSDK as default } from './skopos-sdk.ts';
