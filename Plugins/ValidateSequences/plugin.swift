import PackagePlugin
@main struct V: CommandPlugin { func performCommand(context: PluginContext, arguments: [String]) async throws {} }
