using System.Reflection;
using System.Reflection.Emit;
using SQLitePCL;

namespace Alyx.Database;

/// <summary>
/// An <see cref="ISQLite3Provider"/> (SQLitePCL's table of the SQLite API, 151 calls) that forwards every call to another
/// provider, except the calls a hooks class declares: a public static method of the call's name whose parameters are the
/// inner provider and then the call's own. The type is emitted once (the library's providers are sealed, and a hand-written
/// forwarder would be 151 methods to keep in step with the package).
/// </summary>
static class SqliteProviderProxy
{
    public static ISQLite3Provider Create(ISQLite3Provider inner, Type hooks)
    {
        var module = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Alyx.SqliteProvider"), AssemblyBuilderAccess.Run)
            .DefineDynamicModule("Alyx.SqliteProvider");
        var type = module.DefineType("Alyx.SqliteProvider.Forwarder", TypeAttributes.Public | TypeAttributes.Sealed, typeof(object),
            [typeof(ISQLite3Provider)]);
        var field = type.DefineField("inner", typeof(ISQLite3Provider), FieldAttributes.Private | FieldAttributes.InitOnly);

        var constructor = type.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, [typeof(ISQLite3Provider)]);
        var il = constructor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, typeof(object).GetConstructor(Type.EmptyTypes)!);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Stfld, field);
        il.Emit(OpCodes.Ret);

        foreach (var call in typeof(ISQLite3Provider).GetMethods())
        {
            var parameters = call.GetParameters().Select(p => p.ParameterType).ToArray();
            var method = type.DefineMethod(call.Name, MethodAttributes.Private | MethodAttributes.HideBySig | MethodAttributes.NewSlot
                | MethodAttributes.Virtual | MethodAttributes.Final, call.ReturnType, parameters);
            var hook = hooks.GetMethod(call.Name, BindingFlags.Public | BindingFlags.Static, [typeof(ISQLite3Provider), .. parameters]);
            if (hook is not null && hook.ReturnType != call.ReturnType)
                throw new InvalidOperationException($"{hooks.Name}.{hook.Name} returns {hook.ReturnType}, the provider's call {call.ReturnType}.");
            il = method.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, field);
            for (var i = 1; i <= parameters.Length; i++) il.Emit(OpCodes.Ldarg, i);
            il.Emit(hook is null ? OpCodes.Callvirt : OpCodes.Call, (MethodInfo?)hook ?? call);
            il.Emit(OpCodes.Ret);
            type.DefineMethodOverride(method, call);
        }
        return (ISQLite3Provider)Activator.CreateInstance(type.CreateType(), inner)!;
    }
}
