export type { BotDetector, BotDetectorOptions, BotSignal } from './bot-detector.ts';
export { BotWeight, createBotDetector } from './bot-detector.ts';
export { BotHeader, botHeaderSignature } from './bot-headers.ts';
export type { Campaign, ClickIdName } from './campaign.ts';
export { CAMPAIGN_VALUE_MAX, extractCampaign } from './campaign.ts';
export type { PathOptions } from './path.ts';
export { PATH_MAX, referrerDomain, toPath } from './path.ts';
export type { UaInfo, UaParser, UaParserOptions } from './user-agent.ts';
export { createUaParser } from './user-agent.ts';
