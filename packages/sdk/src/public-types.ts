import type { UserData } from '@skopos/core';
import type { SkoposSDKOptions } from './options.ts';
import type { ExpressRequestLike, NodeRequestLike, SdkRequest } from './request-context.ts';
import type { SdkFailure, SdkIdentifyResult, SdkTrackResult } from './results.ts';

// Aliases under other names, so that the `SkoposSDK` namespace (which types `require()`) can
// re-declare the public names without referring to itself once the declarations are bundled.
export type OptionsType = SkoposSDKOptions;
export type RequestType = SdkRequest;
export type NodeRequestType = NodeRequestLike;
export type ExpressRequestType = ExpressRequestLike;
export type TrackResultType = SdkTrackResult;
export type IdentifyResultType = SdkIdentifyResult;
export type FailureType = SdkFailure;

/** The original Skopos SDK's name for the `userData` of `identify`: name, email, phone and metadata. */
export type IdentifyData = UserData;
